import Link from 'next/link';
import type { Role } from '@/lib/auth/roles';

/** Shown instead of a page's content when the signed-in role does not allow it. */
export function NotAllowed({ role, needed, what }: { role: Role; needed: Role; what: string }) {
  return (
    <div className="flex max-w-2xl flex-col gap-3 py-6">
      <h1 className="text-2xl font-semibold">Not available to your role</h1>
      <p>
        You are signed in as a <strong>{role}</strong>. {what} needs the {needed} role or above; ask an admin
        if you need it.
      </p>
      <p>
        <Link href="/history" className="text-blue-700 underline dark:text-blue-300">
          See the history of roam jobs
        </Link>
      </p>
    </div>
  );
}
