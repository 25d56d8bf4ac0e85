import { ROLES, type Role } from './roles';

/**
 * The role a person's groups give, from the ID token's (or userinfo's) claims. No directive and no server-only
 * import: pure, so that it is tested on its own.
 *
 * The claim is read by its whole name first (Auth0 and others name claims by URL, dots included), then as a
 * dotted path into nested objects (Keycloak's `realm_access.roles`). Its value may be a list of strings or one
 * string. Group names compare exactly (Entra ID sends object IDs, Keycloak paths such as `/sag-operators`).
 * A person in groups of several roles gets the highest; in none of them, no role (null): refused.
 */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes('.')) {
    value = claim.split('.').reduce<unknown>((node, part) => {
      return typeof node === 'object' && node !== null && !Array.isArray(node)
        ? (node as Record<string, unknown>)[part]
        : undefined;
    }, claims);
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

export function roleFromGroups(
  groups: readonly string[],
  mapping: Record<Role, readonly string[]>,
): Role | null {
  const held = new Set(groups);
  for (const role of [...ROLES].reverse()) {
    if (mapping[role].some((group) => held.has(group))) return role;
  }
  return null;
}
