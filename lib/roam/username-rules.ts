import type { Translate } from '@/lib/i18n/translate';

/**
 * The formats of the roam form's values, without zod: the username list checks names as they are added, in
 * the page's first load, while the schema that uses these rules (and zod) loads when the form is checked.
 * No directive: used by client and server code alike (`./schema` re-exports all of it).
 */

export const USERNAME_MIN_LENGTH = 7;
export const USERNAME_MAX_LENGTH = 33;

export const REGION_ID_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
/** SAG instance IDs: `sag-` and lowercase letters and digits (20 of them on instances seen so far). */
export const INSTANCE_ID_PATTERN = /^sag-[a-z0-9]{6,32}$/;
const USERNAME_CHARACTERS = /^[A-Za-z0-9_@.-]+$/;
const USERNAME_FIRST_CHARACTER = /^[A-Za-z0-9]/;

/** The rule a username breaks, in words an admin understands, or null when it is valid. */
export function usernameProblem(username: string, t: Translate): string | null {
  if (username.length < USERNAME_MIN_LENGTH) return t('username.tooShort', { min: USERNAME_MIN_LENGTH });
  if (username.length > USERNAME_MAX_LENGTH) return t('username.tooLong', { max: USERNAME_MAX_LENGTH });
  if (!USERNAME_CHARACTERS.test(username)) return t('username.characters');
  if (!USERNAME_FIRST_CHARACTER.test(username)) return t('username.firstCharacter');
  return null;
}
