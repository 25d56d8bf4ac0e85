/**
 * Who may do what. No directive and no server-only import: the pages, the forms and the server all read it.
 * Each role includes everything the roles before it may do.
 */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may do what `needed` may do (viewer < operator < admin). */
export function roleAllows(role: Role, needed: Role): boolean {
  const held = ROLES.indexOf(role);
  const required = ROLES.indexOf(needed);
  // A value that is not a role (a stale row, a forged input) allows nothing.
  return held >= 0 && required >= 0 && held >= required;
}
