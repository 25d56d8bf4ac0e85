import { z } from 'zod/mini';

/**
 * The roam form's one schema: used by the form's resolver in the browser and by the server action.
 *
 * Written with `zod/mini` so that the browser bundle stays small (the full zod build alone adds about 44 KB
 * gzip to a page). No directive here: this file is imported by client and server code alike.
 */

export const USERNAME_MIN_LENGTH = 7;
export const USERNAME_MAX_LENGTH = 33;
export const DEFAULT_MAX_USERNAMES_PER_JOB = 1000;

export const REGION_ID_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
/** SAG instance IDs: `sag-` and lowercase letters and digits (20 of them on instances seen so far). */
export const INSTANCE_ID_PATTERN = /^sag-[a-z0-9]{6,32}$/;
const USERNAME_CHARACTERS = /^[A-Za-z0-9_@.-]+$/;
const USERNAME_FIRST_CHARACTER = /^[A-Za-z0-9]/;

/** The rule a username breaks, in words an admin understands, or null when it is valid. */
export function usernameProblem(username: string): string | null {
  if (username.length < USERNAME_MIN_LENGTH) return `too short: at least ${USERNAME_MIN_LENGTH} characters`;
  if (username.length > USERNAME_MAX_LENGTH) return `too long: at most ${USERNAME_MAX_LENGTH} characters`;
  if (!USERNAME_CHARACTERS.test(username)) return 'only letters, digits and _ @ . - are allowed';
  if (!USERNAME_FIRST_CHARACTER.test(username)) return 'must start with a letter or a digit';
  return null;
}

const regionId = (label: string) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, `Choose the ${label} region`),
      z.regex(REGION_ID_PATTERN, `The ${label} region ID looks like cn-shanghai or ap-southeast-1`),
    );

const instanceId = (label: string) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, `Choose or type the ${label} SAG APP instance`),
      z.regex(INSTANCE_ID_PATTERN, `The ${label} instance ID looks like sag-m9uhqekwnqcnyy1234`),
    );

export function createRoamJobSchema(maxUsernames: number = DEFAULT_MAX_USERNAMES_PER_JOB) {
  return z
    .object({
      originRegionId: regionId('origin'),
      originInstanceId: instanceId('origin'),
      targetRegionId: regionId('target'),
      targetInstanceId: instanceId('target'),
      usernames: z.array(z.string()).check(
        z.minLength(1, 'Enter at least one username'),
        z.maxLength(
          maxUsernames,
          `At most ${maxUsernames} usernames in one job; split the list into several jobs`,
        ),
        z.superRefine((usernames, ctx) => {
          const seen = new Set<string>();
          for (const username of usernames) {
            const problem = usernameProblem(username);
            if (problem) {
              ctx.issues.push({
                code: 'custom',
                input: username,
                message: `"${username}" is not a valid username: ${problem}`,
              });
              return;
            }
            if (seen.has(username)) {
              ctx.issues.push({ code: 'custom', input: username, message: `"${username}" is listed twice` });
              return;
            }
            seen.add(username);
          }
        }),
      ),
    })
    .check(
      z.superRefine((value, ctx) => {
        if (value.targetRegionId && value.targetRegionId === value.originRegionId) {
          ctx.issues.push({
            code: 'custom',
            input: value.targetRegionId,
            path: ['targetRegionId'],
            message:
              'Roaming works between two different regions: choose a target region other than the origin',
          });
        }
        if (value.targetInstanceId && value.targetInstanceId === value.originInstanceId) {
          ctx.issues.push({
            code: 'custom',
            input: value.targetInstanceId,
            path: ['targetInstanceId'],
            message: 'The target instance must differ from the origin instance',
          });
        }
      }),
    );
}

export const roamJobSchema = createRoamJobSchema();
export type RoamJobInput = z.input<typeof roamJobSchema>;
export type RoamJob = z.output<typeof roamJobSchema>;
