/**
 * The one UUID format of sag-roam (job and user IDs are PostgreSQL uuids). No directive: shared by the
 * schemas the browser uses, the server actions and the stores, which answer "not found" to anything else
 * rather than letting PostgreSQL refuse the cast.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
