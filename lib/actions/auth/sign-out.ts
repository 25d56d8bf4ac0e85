'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { requestIsSecure } from '@/lib/auth/guard';
import { endSession, sessionCookieName } from '@/lib/auth/sessions';
import { getRuntime } from '@/lib/runtime';

/** Ends the session on the server (the token stops working everywhere) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  const name = sessionCookieName(await requestIsSecure());
  const jar = await cookies();
  const token = jar.get(name)?.value;
  if (token) {
    const { db } = await getRuntime();
    await endSession(db, token);
  }
  jar.delete(name);
  redirect('/sign-in');
}
