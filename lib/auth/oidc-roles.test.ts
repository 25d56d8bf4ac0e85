import { describe, expect, it } from 'vitest';
import { groupsFromClaims, roleFromGroups } from './oidc-roles';

const mapping = { admin: ['sag-admins'], operator: ['network-ops', '/corp/ops'], viewer: ['staff'] };

describe('roles from the identity provider groups', () => {
  it('gives the highest role of the groups held', () => {
    expect(roleFromGroups(['staff'], mapping)).toBe('viewer');
    expect(roleFromGroups(['staff', 'network-ops'], mapping)).toBe('operator');
    expect(roleFromGroups(['network-ops', 'sag-admins', 'staff'], mapping)).toBe('admin');
  });

  it('gives none to a person in none of the groups, and compares names exactly', () => {
    expect(roleFromGroups([], mapping)).toBeNull();
    expect(roleFromGroups(['Staff', 'network-ops ', 'sag'], mapping)).toBeNull();
  });

  it('reads the claim by its whole name, then as a dotted path; a list or one string', () => {
    expect(groupsFromClaims({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFromClaims({ groups: 'a' }, 'groups')).toEqual(['a']);
    expect(groupsFromClaims({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(groupsFromClaims({ 'https://corp.example/groups': ['y'] }, 'https://corp.example/groups')).toEqual(
      ['y'],
    );
    expect(groupsFromClaims({ groups: { admin: true } }, 'groups')).toEqual([]);
    expect(groupsFromClaims({}, 'groups')).toEqual([]);
  });
});
