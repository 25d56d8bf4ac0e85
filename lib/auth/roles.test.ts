import { describe, expect, it } from 'vitest';
import { isRole, ROLES, roleAllows } from './roles';

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    const allowed = ROLES.flatMap((role) =>
      ROLES.filter((needed) => roleAllows(role, needed)).map((needed) => `${role}>=${needed}`),
    );

    expect(allowed).toEqual([
      'viewer>=viewer',
      'operator>=viewer',
      'operator>=operator',
      'admin>=viewer',
      'admin>=operator',
      'admin>=admin',
    ]);
  });

  it('allows nothing to a value that is not a role', () => {
    expect(roleAllows('root' as never, 'viewer')).toBe(false);
    expect(roleAllows('admin', 'root' as never)).toBe(false);
    expect(isRole('admin')).toBe(true);
    expect(isRole('Admin')).toBe(false);
  });
});
