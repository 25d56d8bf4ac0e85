// Bad input, property-based: thousands of random and malformed payloads sent straight to every server action
// and route handler, as a signed-in admin so that they pass authorization and reach validation. Real parts
// throughout (the app's runtime with its in-process emulator and an embedded PostgreSQL directory); only the request's
// cookies and headers are stood in for, as in authorization.test.ts.
//
// Every refused input must: not throw, never answer 5xx (for an action: never the "unexpected" answer with a
// reference), make no outbound call (the emulator's request log), and leave every table as it was. The one
// table a refused call may change is sign_in_failures: a well-formed sign-in with a wrong password is a
// failure the throttle must count; it is checked row by row for exactly that.
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const request = vi.hoisted(() => ({
  token: undefined as string | undefined,
  acceptLanguage: undefined as string | undefined,
}));

vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) =>
      request.token !== undefined && name === 'sag-roam-session' ? { name, value: request.token } : undefined,
    set: () => {},
    delete: () => {},
  }),
  headers: async () => {
    // The socket's address, as the server start stamps it on every request (lib/security/client-address.ts).
    const { PEER_ADDRESS_HEADER, peerAddressValue } = await import('@/lib/security/client-address');
    return new Headers({
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '127.0.0.1',
      [PEER_ADDRESS_HEADER]: peerAddressValue('127.0.0.1'),
      ...(request.acceptLanguage ? { 'accept-language': request.acceptLanguage } : {}),
    });
  },
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

import { sql } from 'drizzle-orm';
import {
  addUserAction,
  changeUserRoleAction,
  resetUserPasswordAction,
  setUserDisabledAction,
} from '@/lib/actions/admin/users';
import { signInAction } from '@/lib/actions/auth/sign-in';
import { setLocaleAction } from '@/lib/actions/preferences/set-locale';
import type { ActionResult } from '@/lib/actions/result';
import { createRoamJobAction } from '@/lib/actions/roam/create-roam-job';
import { retryFailedItemsAction } from '@/lib/actions/roam/retry-failed-items';
import { verifyJobOnTargetAction } from '@/lib/actions/roam/verify-job-on-target';
import { hashPassword } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { createJob } from '@/lib/db/jobs';
import { createUser } from '@/lib/db/users';
import { SEED_INSTANCES } from '@/lib/emulator';
import type { Locale } from '@/lib/i18n/locales';
import { MESSAGES } from '@/lib/i18n/messages';
import { INSTANCE_FILTER_MAX_LENGTH } from '@/lib/roam/history-filter';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { CLIENT_USERS_PAGE_SIZE } from '@/lib/sag/client-user-pages';
import { reachableTempDir } from '@/lib/testing/temp-dir';
import { isUuid } from '@/lib/uuid';
import * as jobExport from './api/jobs/[id]/export/route';
import * as job from './api/jobs/[id]/route';
import * as jobsExport from './api/jobs/export/route';
import * as clientUsers from './api/regions/[regionId]/instances/[instanceId]/users/route';
import * as instances from './api/regions/[regionId]/instances/route';
import * as regions from './api/regions/route';

const ADMIN = { email: 'fuzz-admin@example.com', password: 'fuzz-admin-password-1' };
const SUBJECT = { email: 'fuzz-subject@example.com', password: 'fuzz-subject-password-1' };
const CLIENT_ADDRESS = '127.0.0.1';

let runtime: Runtime;
let adminId = '';
let subjectId = '';
let jobId = '';
let digestQuery: ReturnType<typeof sql.raw>;

// ---------------------------------------------------------------------------------------------------------
// What a refused call must leave alone

/** One digest per table (every table of the database, found in its catalogue): count and content. */
async function tableDigests(): Promise<Record<string, string>> {
  const result = (await runtime.db.execute(digestQuery)) as unknown as { rows: Record<string, string>[] };
  const [row] = result.rows;
  if (!row) throw new Error('no digest row');
  return row;
}

interface Observed {
  outbound: number;
  tables: Record<string, string>;
}

async function observe(): Promise<Observed> {
  return { outbound: runtime.emulator?.state.requestLog().length ?? -1, tables: await tableDigests() };
}

async function signInFailureRows(): Promise<{ id: number; key: string }[]> {
  const result = (await runtime.db.execute(
    sql`select id::int as id, key from sign_in_failures order by id`,
  )) as unknown as { rows: { id: number; key: string }[] };
  return result.rows;
}

// ---------------------------------------------------------------------------------------------------------
// The app's own messages: every message a refused input gets must be one of them, in the reader's language

/** The messages written for refused input; labels such as "{role}: {description}" would match almost anything. */
const REFUSAL_KEYS = /^(action|api|auth|schema|signIn|username)\.|^history\.filter/;

function catalogueMatcher(locale: Locale): (message: string) => boolean {
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const templates = Object.entries(MESSAGES[locale] as Record<string, string>)
    .filter(([key]) => REFUSAL_KEYS.test(key))
    .map(([, template]) => template);
  const patterns = templates.map(
    (template) =>
      new RegExp(
        `^${template
          .split(/\{\w+\}/)
          .map(escapeRegExp)
          .join('[\\s\\S]*')}$`,
      ),
  );
  return (message) => patterns.some((pattern) => pattern.test(message));
}
const isAppMessage: Record<Locale, (message: string) => boolean> = {
  en: catalogueMatcher('en'),
  'zh-CN': catalogueMatcher('zh-CN'),
};

// ---------------------------------------------------------------------------------------------------------
// Arbitraries

const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const keyArbitrary = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...prototypeKeys));
const oddStrings = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\u202E',
  '\u200B',
  'e\u0301',
  '🙂',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'Ω≈ç√',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '../../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection payload, meant literally
  '${jndi:ldap://x}',
  'null',
  'undefined',
  'NaN',
);
/** 2 KB to 200 KB of one short (possibly astral or combining) sequence; may end inside a surrogate pair. */
const hugeString = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
    fc.integer({ min: 2_000, max: 200_000 }),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: oddStrings },
  { weight: 1, arbitrary: hugeString },
);
/** Payloads that try to write through prototypes: own `__proto__` keys (as JSON.parse makes them) and friends. */
const pollution = fc
  .constantFrom(
    '{"__proto__":{"polluted":"yes","role":"admin","ok":true}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"__proto__":null}',
    '{"prototype":{"polluted":"yes"}}',
    '[{"__proto__":{"polluted":"yes"}}]',
  )
  .map((text) => JSON.parse(text) as unknown);
const deeplyNested = fc.tuple(fc.integer({ min: 20, max: 1_000 }), fc.boolean()).map(([depth, asArray]) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { value };
  return value;
});
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.anything({
      maxDepth: 3,
      key: keyArbitrary,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      withObjectString: true,
      withUnicodeString: true,
    }),
  },
  { weight: 2, arbitrary: fc.jsonValue() },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: pollution },
  { weight: 1, arbitrary: deeplyNested },
);
/** Not a string at all. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.bigInt(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  pollution,
);

/** A character no ID, enum value or name pattern of the app allows, put where trimming cannot remove it. */
const forbidden = fc.constantFrom(
  ' ',
  '!',
  '/',
  '%',
  '*',
  ',',
  '\u0000',
  'é',
  '中',
  '🙂',
  '\\',
  '"',
  '<',
  '#',
  '?',
  '&',
);
const lowerWord = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  minLength: 1,
  maxLength: 12,
});
const withForbidden = fc
  .tuple(lowerWord, forbidden, lowerWord)
  .map(([left, bad, right]) => `${left}${bad}${right}`);

/** Not a region ID (lowercase letters, then dash-separated lowercase groups), however it is trimmed. */
const badRegionId = fc.oneof(
  fc.constantFrom(
    '',
    '   ',
    'cn',
    'cn-',
    '-cn-shanghai',
    'c-shanghai',
    'cn--shanghai',
    'CN-SHANGHAI',
    'Cn-shanghai',
  ),
  fc.constantFrom('cn_shanghai', 'cn–shanghai', 'ｃｎ-shanghai', 'cn-shanghai.', '1n-shanghai'),
  withForbidden,
);
/** Not an instance ID (`sag-` and 6 to 32 lowercase letters or digits), however it is trimmed. */
const badInstanceId = fc.oneof(
  fc.constantFrom('', ' ', 'sag-', 'sag-abc12', 'SAG-shhqisehm13vdzujo497', 'sag_shhqisehm13vdzujo497'),
  fc.constantFrom('sag-shhq-isehm13vdzujo497', 'sag-SHHQISEHM13VDZUJO497', `sag-${'a'.repeat(33)}`),
  withForbidden.map((text) => `sag-${text}`),
);
const uuidWithBrokenCharacter = fc
  .tuple(fc.uuid(), fc.integer({ min: 0, max: 35 }), fc.constantFrom('g', 'z', '-', ' ', 'G', '_', ''))
  .map(([uuid, index, character]) => {
    const broken = `${uuid.slice(0, index)}${character}${uuid.slice(index + 1)}`;
    return isUuid(broken) ? `${broken}0` : broken;
  });
/** Not a UUID. */
const badUuid = fc.oneof(
  uuidWithBrokenCharacter,
  fc.uuid().map((uuid) => `{${uuid}}`),
  fc.uuid().map((uuid) => uuid.replaceAll('-', '')),
  fc.uuid().map((uuid) => ` ${uuid}`),
  withForbidden,
  fc.constantFrom('', '0', 'null', '../admin'),
);

const validUsernames = ['shstaff001', 'shstaff002', 'li.wei@corp.example.com'];
/** A username that breaks one of the rules: length 7 to 33, letters digits `_ @ . -`, a letter or digit first. */
const badUsername = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcdefg123'), minLength: 0, maxLength: 6 }),
  fc.string({ unit: fc.constantFrom(...'abcdefg123'), minLength: 34, maxLength: 60 }),
  fc.tuple(fc.constantFrom('_', '.', '-', '@'), lowerWord).map(([first, rest]) => `${first}staff${rest}`),
  withForbidden.map((text) => `user${text}001`),
  hugeString,
);
const badUsernames = fc.oneof(
  fc.constant([]),
  fc
    .tuple(badUsername, fc.nat(validUsernames.length))
    .map(([bad, at]) => [...validUsernames.slice(0, at), bad, ...validUsernames.slice(at)]),
  fc.constantFrom(...validUsernames).map((name) => [...validUsernames, name]),
  fc.constant(Array.from({ length: 1_001 }, (_, index) => `bulkname${String(index).padStart(5, '0')}`)),
  fc
    .tuple(wrongType, fc.nat(validUsernames.length))
    .map(([bad, at]) => [...validUsernames.slice(0, at), bad, ...validUsernames.slice(at)]),
  wrongType.filter((value) => !Array.isArray(value)),
  anyString,
);

const badEmail = fc.oneof(
  fc.tuple(lowerWord, lowerWord).map(([local, domain]) => `${local}.${domain}.example.com`),
  fc.tuple(lowerWord, forbidden, lowerWord).map(([left, bad, right]) => `${left}${bad}${right}@example.com`),
  fc.integer({ min: 243, max: 400 }).map((length) => `${'a'.repeat(length)}@example.com`),
  fc.constantFrom('', '   ', '@example.com', 'someone@', 'someone@example', 'a@@example.com'),
);
const badRole = fc.oneof(
  fc.constantFrom('', 'Admin', 'ADMIN', 'admin ', ' viewer', 'root', 'superuser', 'owner', 'operators'),
  withForbidden,
  wrongType,
);
const badNewPassword = fc.oneof(
  fc.string({ minLength: 0, maxLength: 11 }),
  fc.integer({ min: 257, max: 5_000 }).map((length) => 'p'.repeat(length)),
  fc
    .array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00A0', '\u3000'), { minLength: 12, maxLength: 40 })
    .map((spaces) => spaces.join('')),
  wrongType,
);
const badBoolean = fc.oneof(
  fc.constantFrom('true', 'false', 0, 1, 'yes', '', 'on'),
  fc.constant(null),
  fc.array(fc.boolean(), { maxLength: 2 }),
);

/** An object with an own `__proto__` property, as JSON.parse and the Flight decoder produce them. */
function withOwnProto(value: Record<string, unknown>, proto: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, '__proto__', {
    value: proto,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/**
 * Near-valid objects: a valid base with exactly one field broken (or missing), sometimes with extra keys
 * and an own `__proto__` key that must change nothing.
 */
function nearValid(
  base: Record<string, unknown>,
  breakers: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<unknown> {
  const broken = fc.oneof(
    ...Object.entries(breakers).map(([field, value]) => value.map((bad) => ({ ...base, [field]: bad }))),
    fc.constantFrom(...Object.keys(base)).map((field) => {
      const { [field]: _missing, ...rest } = base;
      return rest;
    }),
  );
  return fc
    .tuple(broken, fc.option(fc.dictionary(keyArbitrary, anyValue, { maxKeys: 3 })), fc.option(pollution))
    .map(([value, extra, proto]) => {
      // Extra keys never stand in for a field of the base: the input stays broken in exactly the chosen way.
      const unrelated = Object.entries(extra ?? {}).filter(([key]) => !Object.hasOwn(base, key));
      const withExtra = { ...Object.fromEntries(unrelated), ...value };
      return proto === null ? withExtra : withOwnProto(withExtra, proto);
    });
}

function randomOrNearValid(near: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 1, arbitrary: anyValue }, { weight: 2, arbitrary: near });
}

// ---------------------------------------------------------------------------------------------------------
// Checks

const GENERIC_UNEXPECTED = Object.values(MESSAGES).map((messages) => messages['action.unexpected']);

function messagesOf(result: ActionResult<unknown>): string[] {
  if (result.ok) return [];
  return [result.formError, ...Object.values(result.fieldErrors ?? {}).flat()];
}

/** Refused as expected failure data: not thrown, not "unexpected", not an authorization refusal. */
function expectSpecificRefusal(result: ActionResult<unknown>) {
  expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(false);
  if (result.ok) return;
  expect(result.reference, 'the unexpected-failure answer (a 5xx for an action)').toBeUndefined();
  expect(result.status, 'the input reached validation (not an authorization refusal)').toBeUndefined();
  expect(GENERIC_UNEXPECTED).not.toContain(result.formError);
  expect(typeof result.formError).toBe('string');
  expect(result.formError.trim()).not.toBe('');
  for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
    expect(messages.length, `messages for ${field}`).toBeGreaterThan(0);
    for (const message of messages) expect(message.trim(), `a message for ${field}`).not.toBe('');
  }
}

async function expectActionRefusesSafely(call: () => Promise<ActionResult<unknown>>) {
  const before = await observe();
  const result = await call();
  expectSpecificRefusal(result);
  expect(await observe(), 'no outbound call, every table unchanged').toEqual(before);
}

interface RouteAnswer {
  status: number;
  body: string;
  contentType: string;
}

async function answerOf(response: Response): Promise<RouteAnswer> {
  // Read the whole body: a streamed CSV that breaks halfway is a failure the status line does not show.
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

function expectSpecificRouteError(answer: RouteAnswer): { code: string; title: string } {
  expect(answer.status, answer.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.body.slice(0, 300)).toBeLessThan(500);
  expect(answer.contentType).toMatch(/^application\/json/);
  const { error } = JSON.parse(answer.body) as { error: { code: unknown; title: unknown } };
  expect(typeof error.code).toBe('string');
  expect(typeof error.title).toBe('string');
  expect(String(error.code).trim()).not.toBe('');
  expect(String(error.title).trim()).not.toBe('');
  expect(error.code).not.toBe('InternalError');
  return { code: String(error.code), title: String(error.title) };
}

async function expectRouteRefusesSafely(call: () => Promise<Response>, code: string) {
  const before = await observe();
  const answer = await answerOf(await call());
  expect(expectSpecificRouteError(answer).code).toBe(code);
  expect(await observe(), 'no outbound call, every table unchanged').toEqual(before);
}

// ---------------------------------------------------------------------------------------------------------
// Requests for the route handlers

const queryKey = fc.oneof(
  fc.constantFrom(
    'search',
    'page',
    'username',
    'instance',
    'instanceId',
    'failures',
    'status',
    'from',
    'to',
    'jobId',
    'id',
  ),
  keyArbitrary,
);
const queryValue = fc.oneof(anyString, fc.integer().map(String), fc.constantFrom('%', '%zz', '[]', '{}'));
const randomQuery = fc.oneof(
  fc
    .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString()),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    '?',
    '&&&',
    '=',
    '%',
    'a=%E0%A4%A',
    '__proto__[polluted]=yes',
    'constructor.prototype.x=1',
  ),
);
const randomParams = fc.dictionary(keyArbitrary, anyString, { maxKeys: 3 });

function get(pathname: string, query = ''): Request {
  return new Request(`http://app${pathname}${query ? `?${query}` : ''}`);
}

/** The path as Next.js would show it for a decoded segment (the handler never sees this URL's path). */
function segment(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
}

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  process.env.SAG_MODE = 'emulator';
  process.env.DATA_DIR = reachableTempDir('sag-roam-fuzz-');
  process.env.ROAM_RATE_PER_SECOND = '100';
  runtime = await getRuntime();
  const admin = await createUser(runtime.db, {
    email: ADMIN.email,
    passwordHash: await hashPassword(ADMIN.password),
    role: 'admin',
    createdBy: 'the test',
  });
  const subject = await createUser(runtime.db, {
    email: SUBJECT.email,
    passwordHash: await hashPassword(SUBJECT.password),
    role: 'viewer',
    createdBy: 'the test',
  });
  if (!admin || !subject) throw new Error('could not create the users');
  adminId = admin.id;
  subjectId = subject.id;
  request.token = (await startSession(runtime.db, { userId: admin.id })).token;

  // A finished job with a failed item: what retry and verify would act on, if their input were valid.
  const created = await createJob(runtime.db, {
    createdBy: ADMIN.email,
    originRegionId: 'cn-shanghai',
    originInstanceId: SEED_INSTANCES.shanghaiHq,
    targetRegionId: 'cn-hangzhou',
    targetInstanceId: SEED_INSTANCES.hangzhouRnd,
    usernames: ['wang.fang@corp.example.com'],
    mode: 'emulator',
  });
  jobId = created.id;
  runtime.worker.kick();
  expect(await runtime.worker.waitForJob(jobId, 15_000)).toBe(true);

  // The regions route has no input: its answer is cached per language, and is fetched once here.
  for (const language of [undefined, 'zh-CN']) {
    request.acceptLanguage = language;
    expect((await regions.GET(get('/api/regions'), { params: Promise.resolve({}) })).status).toBe(200);
  }
  request.acceptLanguage = undefined;

  const tables = (await runtime.db.execute(sql`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1, 2`)) as unknown as { rows: { schema: string; name: string }[] };
  expect(tables.rows.map((table) => table.name)).toEqual(
    expect.arrayContaining(['roam_jobs', 'roam_items', 'roam_attempts', 'users', 'sessions', 'user_events']),
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  digestQuery = sql.raw(
    `select ${tables.rows
      .map(({ schema, name }) => {
        // A session's last_seen_at is refreshed by reads at most once a minute: it is not a change.
        const row = name === 'sessions' ? `to_jsonb(t) - 'last_seen_at'` : 'to_jsonb(t)';
        return `(select count(*) || ':' || coalesce(md5(string_agg(x, ',' order by x)), '') from (select (${row})::text as x from ${quote(schema)}.${quote(name)} t) r) as ${quote(`${schema}.${name}`)}`;
      })
      .join(', ')}`,
  );
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  if (process.env.DATA_DIR) rmSync(process.env.DATA_DIR, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------

type ActionCall = (input: unknown) => Promise<ActionResult<unknown>>;

const actionCases: {
  name: string;
  call: ActionCall;
  arbitrary: () => fc.Arbitrary<unknown>;
  runs: number;
}[] = [
  {
    name: 'createRoamJobAction',
    call: createRoamJobAction,
    runs: 500,
    arbitrary: () => {
      const base = {
        originRegionId: 'cn-shanghai',
        originInstanceId: SEED_INSTANCES.shanghaiHq,
        targetRegionId: 'ap-northeast-1',
        targetInstanceId: SEED_INSTANCES.tokyo,
        usernames: validUsernames,
      };
      return randomOrNearValid(
        fc.oneof(
          nearValid(base, {
            originRegionId: fc.oneof(badRegionId, wrongType),
            originInstanceId: fc.oneof(badInstanceId, wrongType),
            targetRegionId: fc.oneof(badRegionId, wrongType, fc.constantFrom('cn-shanghai', ' cn-shanghai ')),
            targetInstanceId: fc.oneof(badInstanceId, wrongType, fc.constant(SEED_INSTANCES.shanghaiHq)),
            usernames: badUsernames,
          }),
        ),
      );
    },
  },
  {
    name: 'retryFailedItemsAction',
    call: retryFailedItemsAction,
    runs: 300,
    arbitrary: () =>
      randomOrNearValid(
        fc.oneof(
          nearValid(
            { jobId: '00000000-0000-4000-8000-000000000000' },
            { jobId: fc.oneof(badUuid, wrongType) },
          ),
          // Well-formed, but no such job: refused with its own message, before anything is read or sent.
          fc.uuid().map((uuid) => ({ jobId: uuid })),
        ),
      ),
  },
  {
    name: 'verifyJobOnTargetAction',
    call: verifyJobOnTargetAction,
    runs: 300,
    arbitrary: () =>
      randomOrNearValid(
        fc.oneof(
          nearValid(
            { jobId: '00000000-0000-4000-8000-000000000000' },
            { jobId: fc.oneof(badUuid, wrongType) },
          ),
          fc.uuid().map((uuid) => ({ jobId: uuid })),
        ),
      ),
  },
  {
    name: 'addUserAction',
    call: addUserAction,
    runs: 400,
    arbitrary: () =>
      randomOrNearValid(
        nearValid(
          { email: 'new-user@example.com', role: 'viewer', password: 'a-long-password-1' },
          {
            email: fc.oneof(badEmail, wrongType),
            role: badRole,
            password: badNewPassword,
          },
        ),
      ),
  },
  {
    name: 'changeUserRoleAction',
    call: changeUserRoleAction,
    runs: 300,
    arbitrary: () =>
      randomOrNearValid(
        fc.oneof(
          nearValid(
            { userId: 'SUBJECT', role: 'operator' },
            { userId: fc.oneof(badUuid, wrongType), role: badRole },
          ),
        ),
      ),
  },
  {
    name: 'setUserDisabledAction',
    call: setUserDisabledAction,
    runs: 300,
    arbitrary: () =>
      randomOrNearValid(
        nearValid(
          { userId: 'SUBJECT', disabled: true },
          { userId: fc.oneof(badUuid, wrongType), disabled: badBoolean },
        ),
      ),
  },
  {
    name: 'resetUserPasswordAction',
    call: resetUserPasswordAction,
    runs: 300,
    arbitrary: () =>
      randomOrNearValid(
        nearValid(
          { userId: 'SUBJECT', password: 'another-long-password' },
          { userId: fc.oneof(badUuid, wrongType), password: badNewPassword },
        ),
      ),
  },
  {
    name: 'setLocaleAction',
    call: setLocaleAction,
    runs: 200,
    arbitrary: () =>
      fc.oneof(
        anyValue.filter((value) => value !== 'en' && value !== 'zh-CN'),
        fc.constantFrom('EN', 'En', 'zh', 'zh-cn', 'zh_CN', 'en ', ' zh-CN', 'en-US', 'fr', 'ja'),
      ),
  },
];

/** The subject's real ID replaces the placeholder, so near-valid inputs point at an account that exists. */
function resolveSubject(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  if (!Object.hasOwn(input, 'userId') || (input as { userId?: unknown }).userId !== 'SUBJECT') return input;
  const copy = Object.create(Object.getPrototypeOf(input)) as Record<string, unknown>;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(input));
  copy.userId = subjectId;
  return copy;
}

describe('server actions refuse random and malformed input: no throw, no 5xx, no outbound call, nothing changed', () => {
  for (const { name, call, arbitrary, runs } of actionCases) {
    it(`${name}: ${runs} random and near-valid payloads`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary(), async (input) => {
          await expectActionRefusesSafely(() => call(resolveSubject(input)));
        }),
        { numRuns: runs },
      );
    }, 60_000);
  }

  it('well-formed but refused changes: no such user, own role, own account, an e-mail taken in another case', async () => {
    const refusals = fc.oneof(
      fc.tuple(fc.uuid(), fc.constantFrom('viewer', 'operator', 'admin')).map(([userId, role]) => ({
        call: changeUserRoleAction,
        input: { userId, role },
      })),
      fc.tuple(fc.uuid(), fc.boolean()).map(([userId, disabled]) => ({
        call: setUserDisabledAction,
        input: { userId, disabled },
      })),
      fc.constantFrom('viewer', 'operator').map((role) => ({
        call: changeUserRoleAction,
        input: { userId: adminId, role },
      })),
      fc.constant({ call: setUserDisabledAction, input: { userId: adminId, disabled: true } }),
      fc.uuid().map((userId) => ({
        call: resetUserPasswordAction,
        input: { userId, password: 'a-long-enough-password' },
      })),
      fc.constantFrom(SUBJECT.email.toUpperCase(), ` ${SUBJECT.email} `, ADMIN.email).map((email) => ({
        call: addUserAction,
        input: { email, role: 'viewer', password: 'a-long-password-1' },
      })),
    );
    await fc.assert(
      fc.asyncProperty(refusals, async ({ call, input }) => {
        await expectActionRefusesSafely(() => call(input));
      }),
      // Resetting a password and adding a user hash it first (scrypt): few runs.
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('signInAction with random input signs no one in and creates no session', () => {
  /** Well-formed (both fields filled) or not; the near-valid ones are the real accounts with a wrong password. */
  const malformed = fc.oneof(
    anyValue,
    nearValid(
      { email: 'someone@example.com', password: 'some-password' },
      {
        email: fc.oneof(
          wrongType,
          fc.constantFrom('', '   ', '\t\n'),
          fc.integer({ min: 255, max: 2_000 }).map((length) => 'e'.repeat(length)),
        ),
        password: fc.oneof(
          wrongType,
          fc.constant(''),
          fc.integer({ min: 257, max: 5_000 }).map((length) => 'p'.repeat(length)),
        ),
      },
    ),
  );
  const wrongPassword = (real: string) =>
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }).filter((password) => password !== real),
      fc.constantFrom(`${real} `, real.slice(0, -1), real.toUpperCase(), `${real}x`, ` ${real}`),
    );
  const wellFormed = fc.oneof(
    fc.record({
      // Any text but NUL, which has a test of its own below.
      email: fc
        .oneof(
          fc.string({ minLength: 1, maxLength: 60 }),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        )
        .filter((email) => email.trim() !== '' && !email.includes('\u0000')),
      password: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    }),
    fc.record({
      email: fc.constantFrom(ADMIN.email, ADMIN.email.toUpperCase(), ` ${SUBJECT.email}`, SUBJECT.email),
      password: wrongPassword(ADMIN.password),
    }),
  );
  const returnTo = fc.oneof(
    anyValue,
    fc.constantFrom('/', '//evil.example', '/\\evil', 'https://evil.example'),
  );

  async function expectNoSignIn(input: unknown, target: unknown, wellFormedInput: boolean) {
    const before = await observe();
    const failuresBefore = await signInFailureRows();
    const result = await signInAction(input, target);
    expectSpecificRefusal(result);
    const after = await observe();
    const { 'public.sign_in_failures': _failuresBefore, ...tablesBefore } = before.tables;
    const { 'public.sign_in_failures': _failuresAfter, ...tablesAfter } = after.tables;
    expect(after.outbound).toBe(before.outbound);
    // No session, no user change, no audit event (a successful sign-in would add both).
    expect(tablesAfter).toEqual(tablesBefore);
    // The only change allowed: a well-formed attempt that was checked counts one failure for the account and
    // one for the address. Throttled and malformed attempts count nothing.
    const known = new Set(failuresBefore.map((row) => row.id));
    const added = (await signInFailureRows()).filter((row) => !known.has(row.id));
    expect((await signInFailureRows()).length).toBe(failuresBefore.length + added.length);
    if (!wellFormedInput || (!result.ok && /Too many failed sign-ins/.test(result.formError))) {
      expect(added).toEqual([]);
    } else {
      const normalised = (input as { email: string }).email.trim().toLowerCase().slice(0, 254);
      expect(added.map((row) => row.key).sort()).toEqual(
        [`account:${normalised}`, `address+account:${CLIENT_ADDRESS} ${normalised}`].sort(),
      );
    }
  }

  it('malformed sign-ins: refused before any password is checked, and counted nowhere', async () => {
    await fc.assert(
      fc.asyncProperty(malformed, returnTo, async (input, target) => {
        const wellFormedInput =
          typeof input === 'object' &&
          input !== null &&
          typeof (input as { email?: unknown }).email === 'string' &&
          typeof (input as { password?: unknown }).password === 'string' &&
          ((input as { email: string }).email.trim().length ?? 0) > 0 &&
          (input as { email: string }).email.trim().length <= 254 &&
          (input as { password: string }).password.length > 0 &&
          (input as { password: string }).password.length <= 256;
        await expectNoSignIn(input, target, wellFormedInput);
      }),
      { numRuns: 600 },
    );
  }, 60_000);

  it('well-formed sign-ins with wrong passwords (the real accounts included): refused, then throttled', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed, returnTo, async (input, target) => {
        await expectNoSignIn(input, target, true);
      }),
      // Each one runs scrypt (N=2^15) once, as a real sign-in does: few runs, enough to reach the throttle.
      { numRuns: 30 },
    );
  }, 60_000);
});

describe('route handlers refuse random and malformed requests: 4xx JSON with a code and title, nothing else', () => {
  it('GET /api/regions: takes no input; any query or params get the cached list and no outbound call', async () => {
    await fc.assert(
      fc.asyncProperty(randomQuery, randomParams, async (query, params) => {
        const before = await observe();
        const answer = await answerOf(
          await regions.GET(get('/api/regions', query), {
            params: Promise.resolve(params as Record<string, never>),
          }),
        );
        expect(answer.status).toBe(200);
        expect((JSON.parse(answer.body) as { regions: unknown[] }).regions.length).toBeGreaterThan(0);
        expect(await observe()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('GET /api/regions/[regionId]/instances: malformed region IDs → 400 InvalidRequest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badRegionId,
          hugeString.map((text) => `${text}!`),
        ),
        randomQuery,
        async (regionId, query) => {
          await expectRouteRefusesSafely(
            () =>
              instances.GET(get(`/api/regions/${segment(regionId)}/instances`, query), {
                params: Promise.resolve({ regionId }),
              }),
            'InvalidRequest',
          );
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('GET /api/regions/[regionId]/instances/[instanceId]/users: one part broken → 400 InvalidRequest', async () => {
    const valid = {
      regionId: 'cn-shanghai',
      instanceId: SEED_INSTANCES.shanghaiHq,
      search: 'staff',
      page: '1',
    };
    const broken = fc.oneof(
      badRegionId.map((regionId) => ({ ...valid, regionId })),
      badInstanceId.map((instanceId) => ({ ...valid, instanceId })),
      fc
        .tuple(fc.string({ minLength: 65, maxLength: 200 }), fc.constantFrom('', ' '))
        .filter(([search]) => search.trim().length > 64)
        .map(([search, pad]) => ({ ...valid, search: `${pad}${search}` })),
      fc
        .oneof(
          fc.constantFrom('', '0', '-1', '1.5', '01', '100000', '1e3', ' 1', 'one', '٣'),
          withForbidden,
          fc.integer({ min: 100_000 }).map(String),
        )
        .map((page) => ({ ...valid, page })),
    );
    await fc.assert(
      fc.asyncProperty(broken, randomQuery, async ({ regionId, instanceId, search, page }, extra) => {
        // Ours first: the handler reads the first value of a repeated key.
        const query = `${new URLSearchParams({ search, page }).toString()}${extra ? `&${extra}` : ''}`;
        await expectRouteRefusesSafely(
          () =>
            clientUsers.GET(
              get(`/api/regions/${segment(regionId)}/instances/${segment(instanceId)}/users`, query),
              {
                params: Promise.resolve({ regionId, instanceId }),
              },
            ),
          'InvalidRequest',
        );
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  for (const [name, handler, suffix] of [
    ['GET /api/jobs/[id]', job.GET, ''],
    ['GET /api/jobs/[id]/export', jobExport.GET, '/export'],
  ] as const) {
    it(`${name}: any ID of no job (random, malformed or a well-formed UUID) → 404 NotFound`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyString, badUuid, fc.uuid()), randomQuery, async (id, query) => {
          await expectRouteRefusesSafely(
            () =>
              handler(get(`/api/jobs/${segment(id)}${suffix}`, query), { params: Promise.resolve({ id }) }),
            'NotFound',
          );
        }),
        { numRuns: 300 },
      );
    }, 60_000);
  }

  it('GET /api/jobs/export: a filter with one part broken → 400 InvalidRequest', async () => {
    const valid = {
      username: 'shstaff',
      instance: SEED_INSTANCES.tokyo,
      status: 'completed',
      from: '2024-01-01',
      to: '2030-12-31',
      page: '1',
    };
    const broken = fc.oneof(
      fc
        .string({ minLength: 65, maxLength: 300 })
        .filter((text) => text.trim().length > 64)
        .map((username) => ({ ...valid, username })),
      // The instance search takes a part of a name or an ID: any printable text up to 128 characters, under
      // its name or the one it had when it took an exact ID.
      fc
        .tuple(
          fc.oneof(
            fc
              .string({ minLength: INSTANCE_FILTER_MAX_LENGTH + 1, maxLength: 300 })
              .filter((text) => text.trim().length > INSTANCE_FILTER_MAX_LENGTH),
            // A control character inside the text (trimming would take one at either end).
            fc.integer({ min: 1, max: 0x1f }).map((code) => `sag-${String.fromCharCode(code)}tokyo`),
          ),
          fc.constantFrom('instance', 'instanceId'),
        )
        .map(([text, name]) => {
          const { instance: _instance, ...rest } = valid;
          return { ...rest, [name]: text };
        }),
      fc.constantFrom('yes', 'true', '2', ' 1x').map((failures) => ({ ...valid, failures })),
      fc
        .oneof(fc.constantFrom('Running', 'done', ' running', 'failed', 'COMPLETED'), withForbidden)
        .map((status) => ({ ...valid, status })),
      fc
        .constantFrom('2024/01/01', '2024-1-1', '20240101', 'yesterday', '01-01-2024', '2024-01-01T00:00')
        .map((from) => ({ ...valid, from })),
      fc.constantFrom('2024/12/31', '31-12-2024', 'now', '+002024-01-01').map((to) => ({ ...valid, to })),
      fc.constantFrom('-1', '1.5', '1234567', 'abc', ' ').map((page) => ({ ...valid, page })),
    );
    await fc.assert(
      fc.asyncProperty(broken, async (filter) => {
        await expectRouteRefusesSafely(
          () =>
            jobsExport.GET(get('/api/jobs/export', new URLSearchParams(filter).toString()), {
              params: Promise.resolve({}),
            }),
          'InvalidRequest',
        );
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('GET /api/jobs/export: random query strings → a CSV for a valid filter or a 400, never a 5xx or a change', async () => {
    await fc.assert(
      fc.asyncProperty(randomQuery, randomParams, async (query, params) => {
        // A NUL in a filter has a test of its own below.
        fc.pre(![...new URLSearchParams(query).values()].some((value) => value.includes('\u0000')));
        const before = await observe();
        const answer = await answerOf(
          await jobsExport.GET(get('/api/jobs/export', query), {
            params: Promise.resolve(params as Record<string, never>),
          }),
        );
        if (answer.status === 200) {
          expect(answer.contentType).toMatch(/^text\/csv/);
          expect(answer.body).toMatch(/^\uFEFF?job_id,/);
        } else {
          expect(expectSpecificRouteError(answer).code).toBe('InvalidRequest');
        }
        expect(await observe()).toEqual(before);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('input that passes the first checks but not the database or the API client is refused as bad input', () => {
  /** Text of at most `max` characters with a control character inside (never at an end, where trimming could drop it). */
  function withControlCharacter(characters: string[], max: number) {
    return fc
      .tuple(lowerWord, fc.constantFrom(...characters), lowerWord)
      .map(([left, control, right]) => `${left}${control}${right}`.slice(0, max))
      .filter((text) => characters.some((control) => text.slice(1, -1).includes(control)));
  }

  it('GET /api/jobs/export: a NUL in the username filter → 400, not a 200 whose CSV breaks after its header', async () => {
    await fc.assert(
      fc.asyncProperty(withControlCharacter(['\u0000'], 64), async (username) => {
        await expectRouteRefusesSafely(
          () =>
            jobsExport.GET(get('/api/jobs/export', new URLSearchParams({ username }).toString()), {
              params: Promise.resolve({}),
            }),
          'InvalidRequest',
        );
      }),
      { numRuns: 20 },
    );
  });

  it('GET /api/regions/[regionId]/instances/[instanceId]/users: a control character in the search → 400, not 502', async () => {
    const controls = [...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)), '\u007f'];
    await fc.assert(
      fc.asyncProperty(withControlCharacter(controls, 64), async (search) => {
        await expectRouteRefusesSafely(
          () =>
            clientUsers.GET(
              get(
                `/api/regions/cn-shanghai/instances/${SEED_INSTANCES.shanghaiHq}/users`,
                new URLSearchParams({ search, page: '1' }).toString(),
              ),
              { params: Promise.resolve({ regionId: 'cn-shanghai', instanceId: SEED_INSTANCES.shanghaiHq }) },
            ),
          'InvalidRequest',
        );
      }),
      { numRuns: 50 },
    );
  });

  it('GET /api/regions/[regionId]/instances/[instanceId]/users: `all` other than true → 400 InvalidRequest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom('', 'false', 'TRUE', '1', 'yes', ' true'),
          anyString.filter((all) => all !== 'true'),
        ),
        async (all) => {
          await expectRouteRefusesSafely(
            () =>
              clientUsers.GET(
                get(
                  `/api/regions/cn-shanghai/instances/${SEED_INSTANCES.shanghaiHq}/users`,
                  new URLSearchParams({ page: '1', all }).toString(),
                ),
                {
                  params: Promise.resolve({ regionId: 'cn-shanghai', instanceId: SEED_INSTANCES.shanghaiHq }),
                },
              ),
            'InvalidRequest',
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('GET /api/regions/[regionId]/instances/[instanceId]/users?all=true: every account in one answer, the pages read by the server', async () => {
    const accounts = runtime.emulator?.state.accounts(SEED_INSTANCES.shanghaiHq) ?? [];
    const calls = runtime.emulator?.state.requestLog().length ?? 0;
    const response = await clientUsers.GET(
      get(`/api/regions/cn-shanghai/instances/${SEED_INSTANCES.shanghaiHq}/users`, 'all=true'),
      { params: Promise.resolve({ regionId: 'cn-shanghai', instanceId: SEED_INSTANCES.shanghaiHq }) },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { users: { userName: string }[]; totalCount: number };
    expect(accounts.length).toBeGreaterThan(50);
    expect(body.users.map((user) => user.userName).sort()).toEqual(accounts.map((a) => a.userName).sort());
    expect(body.totalCount).toBe(accounts.length);
    const pages = (runtime.emulator?.state.requestLog().length ?? 0) - calls;
    expect(pages).toBe(Math.ceil(accounts.length / CLIENT_USERS_PAGE_SIZE));
  });

  it('signInAction: a NUL in the e-mail is refused like any failed sign-in, not thrown', async () => {
    for (const email of ['\u0000', 'fuzz-admin\u0000@example.com', `${ADMIN.email}\u0000`]) {
      const before = await observe();
      const { 'public.sign_in_failures': _before, ...tablesBefore } = before.tables;
      const result = await signInAction({ email, password: 'not-the-password' }, '/').catch(
        (error: unknown) => ({
          thrown: error instanceof Error ? error.message.split('\n')[0] : String(error),
        }),
      );
      expect(result, JSON.stringify(email)).toMatchObject({ ok: false, formError: expect.any(String) });
      const after = await observe();
      const { 'public.sign_in_failures': _after, ...tablesAfter } = after.tables;
      expect(tablesAfter).toEqual(tablesBefore);
      expect(after.outbound).toBe(before.outbound);
    }
  });

  it('GET /api/jobs/export: an impossible calendar date is refused, not silently dropped from the filter', async () => {
    for (const [field, value] of [
      ['from', '2024-13-45'],
      ['to', '2024-00-10'],
      ['from', '9999-99-99'],
    ] as const) {
      const answer = await answerOf(
        await jobsExport.GET(get('/api/jobs/export', new URLSearchParams({ [field]: value }).toString()), {
          params: Promise.resolve({}),
        }),
      );
      expect(
        answer.status,
        `${field}=${value} answered ${answer.status} with ${answer.body.split('\r\n').length - 2} job row(s)`,
      ).toBe(400);
    }
  });
});

describe('what a refused input is told', () => {
  it('every message of every action is one of the app’s own, in the reader’s language (never a library default)', async () => {
    const failures: string[] = [];
    try {
      for (const { name, call, arbitrary } of actionCases) {
        const details = await fc.check(
          fc.asyncProperty(fc.constantFrom<Locale>('en', 'zh-CN'), arbitrary(), async (locale, input) => {
            request.acceptLanguage = locale === 'zh-CN' ? 'zh-CN,zh;q=0.9' : 'en';
            const result = await call(resolveSubject(input));
            expectSpecificRefusal(result);
            for (const message of messagesOf(result)) {
              expect(isAppMessage[locale](message), `${locale}: “${message.slice(0, 200)}”`).toBe(true);
            }
          }),
          { numRuns: 60 },
        );
        if (details.failed) {
          const reason =
            details.errorInstance instanceof Error ? details.errorInstance.message.split('\n')[0] : '';
          failures.push(
            `${name}, input ${fc.stringify(details.counterexample?.[1]).slice(0, 200)}: ${reason}`,
          );
        }
      }
    } finally {
      request.acceptLanguage = undefined;
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 60_000);

  it('nothing was written through a prototype', () => {
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.role).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });
});
