'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod/mini';
import { requestIsSecure } from '@/lib/auth/guard';
import { endSession, sessionCookieName } from '@/lib/auth/sessions';
import { getRuntime } from '@/lib/runtime';
import { runPublicAction } from '../action';
import type { ActionResult } from '../result';

/**
 * Ends the session on the server (the token stops working everywhere), clears the cookie and goes to the
 * sign-in page (for an account of the identity provider, through the provider's end-session endpoint); without
 * a session it only goes there. It takes no input: the form's data is ignored. It only ever returns an
 * unexpected failure (the session then still stands).
 */
export async function signOutAction(): Promise<ActionResult<never>> {
  return runPublicAction(
    'signOut',
    () => z.undefined(),
    undefined,
    async () => {
      const name = sessionCookieName(await requestIsSecure());
      const jar = await cookies();
      const token = jar.get(name)?.value;
      let providerSignOut: string | null = null;
      if (token) {
        const { db, oidc } = await getRuntime();
        const ended = await endSession(db, token);
        // An account of the identity provider is signed out there too, which sends the browser back to
        // APP_URL/sign-in; otherwise the next "Sign in with …" would pass straight through its session.
        if (ended?.viaIdentityProvider && oidc) providerSignOut = await oidc.endSessionUrl();
      }
      jar.delete(name);
      redirect(providerSignOut ?? '/sign-in');
    },
    // Ending the session needs only the cookie; looking it up first would cost a query for nothing.
    { ignoreSession: true },
  );
}
