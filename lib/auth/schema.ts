import { z } from 'zod/mini';
import { ROLES } from './roles';

/**
 * The inputs of sign-in and of user management: used by the forms' resolvers in the browser and by the
 * server. No directive here: imported by client and server code alike. The server validates again in
 * lib/auth/users.ts, so a request that skips the form gets the same answers.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** The longest address SMTP allows; longer input is refused before it reaches the database. */
export const EMAIL_MAX_LENGTH = 254;

/** The rule a new password breaks, in words an admin understands, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `too short: at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `too long: at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim() === '') return 'only spaces';
  return null;
}

/** E-mail addresses are compared and stored in lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailAddress = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(1, 'Enter an e-mail address'),
    z.maxLength(EMAIL_MAX_LENGTH, `The e-mail address is too long: at most ${EMAIL_MAX_LENGTH} characters`),
    z.regex(z.regexes.email, 'Enter an e-mail address such as admin@example.com'),
  );

const newPassword = z.string().check(
  z.superRefine((password, ctx) => {
    const problem = passwordProblem(password);
    if (problem) ctx.issues.push({ code: 'custom', input: password, message: `The password is ${problem}` });
  }),
);

const role = z.enum(ROLES, 'Choose viewer, operator or admin');

const userId = z
  .string()
  .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'Not a user ID'));

/** Sign-in checks only that both fields are filled: the rules of new passwords may change over time. */
export const signInSchema = z.object({
  email: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Enter your e-mail address'),
      z.maxLength(EMAIL_MAX_LENGTH, `The e-mail address is too long: at most ${EMAIL_MAX_LENGTH} characters`),
    ),
  password: z
    .string()
    .check(
      z.minLength(1, 'Enter your password'),
      z.maxLength(PASSWORD_MAX_LENGTH, `The password is too long: at most ${PASSWORD_MAX_LENGTH} characters`),
    ),
});

export const addUserSchema = z.object({ email: emailAddress, role, password: newPassword });

export const changeRoleSchema = z.object({ userId, role });

export const setDisabledSchema = z.object({ userId, disabled: z.boolean() });

export const resetPasswordSchema = z.object({ userId, password: newPassword });

export type SignInInput = z.output<typeof signInSchema>;
export type AddUserInput = z.input<typeof addUserSchema>;
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;
export type SetDisabledInput = z.input<typeof setDisabledSchema>;
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;
