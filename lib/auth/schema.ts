import { z } from 'zod/mini';
import type { Translate, TranslationKey } from '@/lib/i18n/translate';
import { UUID_PATTERN } from '@/lib/uuid';
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

/** The rule a new password breaks, as a message key, or null when it is acceptable. */
function passwordProblemKey(password: string): TranslationKey | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'auth.passwordTooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'auth.passwordTooLong';
  if (password.trim() === '') return 'auth.passwordSpaces';
  return null;
}

/** The rule a new password breaks, in English (console script, start-up messages), or null. */
export function passwordProblem(password: string): string | null {
  const key = passwordProblemKey(password);
  if (key === 'auth.passwordTooShort') return `too short: at least ${PASSWORD_MIN_LENGTH} characters`;
  if (key === 'auth.passwordTooLong') return `too long: at most ${PASSWORD_MAX_LENGTH} characters`;
  if (key === 'auth.passwordSpaces') return 'only spaces';
  return null;
}

/** E-mail addresses are compared and stored in lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The schemas, with their messages in the language of `t`: the forms build them with the browser's
 * translator, the server actions with the request's (see schema-en.ts for the English set the services and
 * the console script use).
 */
export function createAuthSchemas(t: Translate) {
  const emailAddress = z
    .string()
    .check(
      z.trim(),
      z.toLowerCase(),
      z.minLength(1, t('auth.enterEmail')),
      z.maxLength(EMAIL_MAX_LENGTH, t('auth.emailTooLong', { max: EMAIL_MAX_LENGTH })),
      z.regex(z.regexes.email, t('auth.emailFormat')),
    );
  const newPassword = z.string().check(
    z.superRefine((password, ctx) => {
      const problem = passwordProblemKey(password);
      if (problem) {
        ctx.issues.push({
          code: 'custom',
          input: password,
          message: t(problem, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH }),
        });
      }
    }),
  );
  const role = z.enum(ROLES, t('auth.chooseRole'));
  const userId = z.string().check(z.regex(UUID_PATTERN, t('auth.notUserId')));
  /** Sign-in checks only that both fields are filled: the rules of new passwords may change over time. */
  const signInSchema = z.object({
    email: z.string().check(
      z.trim(),
      z.minLength(1, t('auth.enterYourEmail')),
      z.maxLength(EMAIL_MAX_LENGTH, t('auth.emailTooLong', { max: EMAIL_MAX_LENGTH })),
      // A control character (a NUL breaks the database query) can be in no address.
      z.regex(/^[^\p{Cc}]*$/u, t('auth.emailFormat')),
    ),
    password: z
      .string()
      .check(
        z.minLength(1, t('auth.enterYourPassword')),
        z.maxLength(PASSWORD_MAX_LENGTH, t('auth.passwordTooLong', { max: PASSWORD_MAX_LENGTH })),
      ),
  });
  return {
    signInSchema,
    addUserSchema: z.object({ email: emailAddress, role, password: newPassword }),
    changeRoleSchema: z.object({ userId, role }),
    setDisabledSchema: z.object({ userId, disabled: z.boolean() }),
    resetPasswordSchema: z.object({ userId, password: newPassword }),
  };
}

type AuthSchemas = ReturnType<typeof createAuthSchemas>;

export type SignInInput = z.output<AuthSchemas['signInSchema']>;
export type AddUserInput = z.input<AuthSchemas['addUserSchema']>;
export type ChangeRoleInput = z.input<AuthSchemas['changeRoleSchema']>;
export type SetDisabledInput = z.input<AuthSchemas['setDisabledSchema']>;
export type ResetPasswordInput = z.input<AuthSchemas['resetPasswordSchema']>;
