import { z } from 'zod/mini';
import type { Translate } from '@/lib/i18n/translate';
import { INSTANCE_ID_PATTERN, REGION_ID_PATTERN, usernameProblem } from './username-rules';
import { listWithMore } from './usernames';

/**
 * The roam form's one schema: used by the form's resolver in the browser and by the server action, with its
 * messages in the language of the translator it is built with.
 *
 * Written with `zod/mini` so that the browser bundle stays small (the full zod build alone adds about 44 KB
 * gzip to a page). No directive here: this file is imported by client and server code alike. The browser loads
 * it when the form is first checked; the rules the username list needs at once are in `./username-rules`.
 */

export {
  INSTANCE_ID_PATTERN,
  REGION_ID_PATTERN,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  usernameProblem,
} from './username-rules';

/** How many names a message quotes before "and N more". */
export const QUOTED_NAMES_LIMIT = 5;

/**
 * What is wrong with the names of a list, in one message: every invalid name with its rule, then every name
 * listed more than once (each quoted up to `QUOTED_NAMES_LIMIT`, then "and N more"); null when nothing is.
 */
export function usernameListProblems(usernames: readonly string[], t: Translate): string | null {
  const invalid: { username: string; problem: string }[] = [];
  const occurrences = new Map<string, number>();
  for (const username of usernames) {
    const seen = occurrences.get(username);
    occurrences.set(username, (seen ?? 0) + 1);
    if (seen !== undefined) continue;
    const problem = usernameProblem(username, t);
    if (problem) invalid.push({ username, problem });
  }
  const repeated = [...occurrences].filter(([, count]) => count > 1);
  const sentences: string[] = [];
  const [onlyInvalid] = invalid;
  if (invalid.length === 1 && onlyInvalid) {
    sentences.push(t('schema.invalidUsername', onlyInvalid));
  } else if (invalid.length > 1) {
    const names = invalid.map((entry) => t('schema.invalidEntry', entry));
    sentences.push(
      t('schema.invalidUsernames', {
        count: invalid.length,
        names: listWithMore(names, QUOTED_NAMES_LIMIT, t),
      }),
    );
  }
  const [onlyRepeated] = repeated;
  if (repeated.length === 1 && onlyRepeated) {
    const [username, times] = onlyRepeated;
    sentences.push(
      times === 2 ? t('schema.repeated', { username }) : t('schema.repeatedTimes', { username, times }),
    );
  } else if (repeated.length > 1) {
    const names = repeated.map(([username]) => t('schema.quoted', { username }));
    sentences.push(
      t('schema.repeatedMany', { count: repeated.length, names: listWithMore(names, QUOTED_NAMES_LIMIT, t) }),
    );
  }
  return sentences.length > 0 ? sentences.join(t('schema.sentenceSeparator')) : null;
}

export function createRoamJobSchema(maxUsernames: number, t: Translate) {
  const side = (name: 'origin' | 'target') => ({ side: t(`schema.side.${name}`) });
  const regionId = (name: 'origin' | 'target') =>
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, t('schema.chooseRegion', side(name))),
        z.regex(REGION_ID_PATTERN, t('schema.regionFormat', side(name))),
      );
  const instanceId = (name: 'origin' | 'target') =>
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, t('schema.chooseInstance', side(name))),
        z.regex(INSTANCE_ID_PATTERN, t('schema.instanceFormat', side(name))),
      );
  return z
    .object({
      originRegionId: regionId('origin'),
      originInstanceId: instanceId('origin'),
      targetRegionId: regionId('target'),
      targetInstanceId: instanceId('target'),
      usernames: z.array(z.string()).check(
        z.minLength(1, t('schema.atLeastOne')),
        z.maxLength(maxUsernames, t('schema.tooMany', { max: maxUsernames })),
        z.superRefine((usernames, ctx) => {
          // One message naming every broken name (the form shows one message per field): the admin fixes them
          // all at once instead of meeting them one Roam at a time.
          const message = usernameListProblems(usernames, t);
          if (message) ctx.issues.push({ code: 'custom', input: usernames, message });
        }),
      ),
      /**
       * The admin chose to send although the plan could not make some checks (a refused Describe permission);
       * never needed for a blocking finding, which no choice overrides.
       */
      sendWithoutChecks: z.optional(z.boolean()),
      /**
       * When the plan the admin confirmed was computed (ISO). For the record only: the server plans again and
       * never trusts the browser's copy.
       */
      confirmedPlanAt: z.optional(z.iso.datetime()),
    })
    .check(
      z.superRefine((value, ctx) => {
        if (value.targetRegionId && value.targetRegionId === value.originRegionId) {
          ctx.issues.push({
            code: 'custom',
            input: value.targetRegionId,
            path: ['targetRegionId'],
            message: t('schema.sameRegion'),
          });
        }
        if (value.targetInstanceId && value.targetInstanceId === value.originInstanceId) {
          ctx.issues.push({
            code: 'custom',
            input: value.targetInstanceId,
            path: ['targetInstanceId'],
            message: t('schema.sameInstance'),
          });
        }
      }),
    );
}

export type RoamJobSchema = ReturnType<typeof createRoamJobSchema>;
export type RoamJobInput = z.input<RoamJobSchema>;
export type RoamJob = z.output<RoamJobSchema>;
