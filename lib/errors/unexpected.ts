import 'server-only';
import { randomUUID } from 'node:crypto';

/**
 * The one place an unexpected error is logged, for server actions and route handlers alike. The browser gets
 * only the reference; the log line carries it with the context and the error itself, so whoever runs the app
 * can find the details from what the admin reports. Short on purpose: an admin reads it out or pastes it.
 */
export function logUnexpected(context: string, error: unknown): string {
  const reference = randomUUID().slice(0, 8);
  console.error(`${context} failed (reference ${reference}):`, error);
  return reference;
}
