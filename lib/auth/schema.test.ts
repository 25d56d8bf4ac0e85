import { describe, expect, it } from 'vitest';
import {
  addUserSchema,
  changeRoleSchema,
  resetPasswordSchema,
  setDisabledSchema,
  signInSchema,
} from './schema-en';

const userId = '0b9f2c8e-4a53-4c55-9d0e-2f1e6c7a8b90';

function messages(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return result.success
    ? {}
    : Object.fromEntries((result.error?.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]));
}

describe('auth input schemas', () => {
  it('sign-in needs both fields, whatever the password rules of today', () => {
    expect(signInSchema.parse({ email: ' Alice@Example.com ', password: 'short' })).toEqual({
      email: 'Alice@Example.com',
      password: 'short',
    });
    expect(messages(signInSchema.safeParse({ email: ' ', password: '' }))).toEqual({
      email: 'Enter your e-mail address',
      password: 'Enter your password',
    });
  });

  it('a new user has a valid e-mail (stored in lower case), a role and a password that follows the rules', () => {
    expect(
      addUserSchema.parse({ email: ' New.User@Example.COM ', role: 'operator', password: 'twelve chars' }),
    ).toEqual({ email: 'new.user@example.com', role: 'operator', password: 'twelve chars' });
    expect(
      messages(addUserSchema.safeParse({ email: 'not-an-address', role: 'root', password: 'short' })),
    ).toEqual({
      email: 'Enter an e-mail address such as admin@example.com',
      role: 'Choose viewer, operator or admin',
      password: 'The password is too short: at least 12 characters',
    });
    expect(
      messages(
        addUserSchema.safeParse({
          email: `${'a'.repeat(250)}@x.io`,
          role: 'viewer',
          password: 'x'.repeat(257),
        }),
      ),
    ).toEqual({
      email: 'The e-mail address is too long: at most 254 characters',
      password: 'The password is too long: at most 256 characters',
    });
  });

  it('changes identify the user by id', () => {
    expect(changeRoleSchema.safeParse({ userId, role: 'viewer' }).success).toBe(true);
    expect(setDisabledSchema.safeParse({ userId, disabled: true }).success).toBe(true);
    expect(resetPasswordSchema.safeParse({ userId, password: 'a new password' }).success).toBe(true);
    expect(messages(changeRoleSchema.safeParse({ userId: "1' OR '1'='1", role: 'admin' }))).toEqual({
      userId: 'Not a user ID',
    });
    expect(messages(resetPasswordSchema.safeParse({ userId, password: 'short' }))).toEqual({
      password: 'The password is too short: at least 12 characters',
    });
  });
});
