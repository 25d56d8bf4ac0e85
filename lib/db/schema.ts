// The roam job store and the users who may use it: one schema for embedded PGlite and for a PostgreSQL server.
// No `server-only` here: drizzle-kit loads this file outside Next.js to generate migrations.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ROLES } from '../auth/roles';
import {
  ITEM_STATUSES,
  type ItemStatus,
  JOB_KINDS,
  JOB_STATUSES,
  type JobKind,
  type JobStatus,
} from '../roam/lifecycle';
import type { StoredPlan } from '../roam/plan-view';

export type { ItemStatus, JobKind, JobStatus };

/** Which endpoint served a job: the built-in emulator or Alibaba Cloud. */
export const JOB_MODES = ['emulator', 'alibaba-cloud'] as const;
export type JobMode = (typeof JOB_MODES)[number];

/** `roam`: a RoamClientUser call; `delete`: a DeleteSmartAccessGatewayClientUser call of an undo job. */
export const attemptKinds = ['roam', 'delete', 'check'] as const;
export type AttemptKind = (typeof attemptKinds)[number];
/** The attempts that are calls changing the target (recorded before they are sent); the others are checks. */
export const callKinds = ['roam', 'delete'] as const satisfies readonly AttemptKind[];

/** `interrupted`: found in flight after the worker that sent it stopped (crash, restart, lost lease). */
export const roamOutcomes = ['succeeded', 'failed', 'unknown', 'interrupted'] as const;
export type RoamOutcome = (typeof roamOutcomes)[number];

export const checkOutcomes = ['present', 'absent', 'error'] as const;
export type CheckOutcome = (typeof checkOutcomes)[number];

export const attemptOutcomes = [...roamOutcomes, ...checkOutcomes] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

export const targetPresences = ['present', 'missing'] as const;
export type TargetPresence = (typeof targetPresences)[number];

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `status IN ('a', 'b')` for a check constraint; the values are our own constants, never input. */
const oneOf = (column: AnyPgColumn, values: readonly string[]) =>
  sql`${column} IN (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`;

export const roamJobs = pgTable(
  'roam_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    originRegionId: text('origin_region_id').notNull(),
    originInstanceId: text('origin_instance_id').notNull(),
    targetRegionId: text('target_region_id').notNull(),
    targetInstanceId: text('target_instance_id').notNull(),
    /**
     * The instances' names as the plan the server computed for the job read them (an undo job: those of the job
     * it undoes), for the history and the job's page; null when no name was read (not found, a job made
     * without a plan). A name of that moment: an instance renamed later keeps its old name here.
     */
    originInstanceName: text('origin_instance_name'),
    targetInstanceName: text('target_instance_name'),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('running'),
    finishedAt: timestamptz('finished_at'),
    mode: text('mode', { enum: JOB_MODES }).notNull(),
    itemCount: integer('item_count').notNull(),
    retriedBy: text('retried_by'),
    retriedAt: timestamptz('retried_at'),
    /**
     * Set when an answer that holds for every remaining username (a full quota, a missing instance, a refused
     * AccessKey...) stopped the job's sending; cleared by "retry failed".
     */
    stoppedAt: timestamptz('stopped_at'),
    stoppedCode: text('stopped_code'),
    stoppedMessage: text('stopped_message'),
    stoppedRequestId: text('stopped_request_id'),
    /** The plan the job was created from (lib/roam/plan-view.ts, without the per-username decisions). */
    plan: jsonb('plan').$type<StoredPlan>(),
    kind: text('kind', { enum: JOB_KINDS }).notNull().default('roam'),
    /** For an undo job: the roam job whose accounts it deletes from the target (one undo per job). */
    undoesJobId: uuid('undoes_job_id').references((): AnyPgColumn => roamJobs.id, { onDelete: 'cascade' }),
    /** Who cancelled the job and when: no call starts after it; the job ends once calls in flight are recorded. */
    cancelledBy: text('cancelled_by'),
    cancelledAt: timestamptz('cancelled_at'),
  },
  (table) => [
    check('roam_jobs_status_check', oneOf(table.status, JOB_STATUSES)),
    check('roam_jobs_mode_check', oneOf(table.mode, JOB_MODES)),
    check('roam_jobs_created_by_check', sql`length(${table.createdBy}) > 0`),
    check(
      'roam_jobs_finished_check',
      sql`(${table.status} IN ('completed', 'cancelled')) = (${table.finishedAt} IS NOT NULL)`,
    ),
    check('roam_jobs_kind_check', oneOf(table.kind, JOB_KINDS)),
    check('roam_jobs_undo_check', sql`(${table.kind} = 'undo') = (${table.undoesJobId} IS NOT NULL)`),
    check(
      'roam_jobs_cancelled_check',
      sql`(${table.cancelledAt} IS NULL) = (${table.cancelledBy} IS NULL) AND (${table.status} <> 'cancelled' OR ${table.cancelledAt} IS NOT NULL)`,
    ),
    uniqueIndex('roam_jobs_undoes_job_idx').on(table.undoesJobId),
    // Ascending indexes: a backward scan serves the newest-first listings.
    index('roam_jobs_created_at_idx').on(table.createdAt, table.id),
    index('roam_jobs_running_idx').on(table.createdAt).where(sql`${table.status} = 'running'`),
    index('roam_jobs_origin_instance_idx').on(table.originInstanceId, table.createdAt),
    index('roam_jobs_target_instance_idx').on(table.targetInstanceId, table.createdAt),
  ],
);

export const roamItems = pgTable(
  'roam_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => roamJobs.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    username: text('username').notNull(),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('pending'),
    /** An attempt may have been applied: the target must be checked before anything is sent again. */
    needsCheck: boolean('needs_check').notNull().default(false),
    /** RequestId of the roam call that succeeded. */
    requestId: text('request_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    errorRequestId: text('error_request_id'),
    attemptCount: integer('attempt_count').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamptz('lease_expires_at'),
    /** New at every claim: a worker proves with it that the lease is still the one it was given. */
    leaseToken: uuid('lease_token'),
    /** Not to be claimed before this instant (throttling, a pause before checking the target). */
    notBefore: timestamptz('not_before'),
    /**
     * Parked: the outcome is unknown and the target cannot be checked for now (listing refused, too many
     * unknown outcomes). Never claimed and not blocking the job's completion, until an admin retries it
     * or a check settles it.
     */
    held: boolean('held').notNull().default(false),
    /** Success confirmed by finding the username on the target instance. */
    verified: boolean('verified').notNull().default(false),
    targetPresence: text('target_presence', { enum: targetPresences }),
    presenceCheckedAt: timestamptz('presence_checked_at'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    check('roam_items_status_check', oneOf(table.status, ITEM_STATUSES)),
    check(
      'roam_items_target_presence_check',
      sql`${table.targetPresence} IS NULL OR ${oneOf(table.targetPresence, targetPresences)}`,
    ),
    // A lease exists exactly while the item is in progress.
    check(
      'roam_items_lease_check',
      sql`(${table.status} = 'in_progress') = (${table.leaseOwner} IS NOT NULL AND ${table.leaseExpiresAt} IS NOT NULL AND ${table.leaseToken} IS NOT NULL)`,
    ),
    check('roam_items_held_check', sql`NOT ${table.held} OR ${table.status} = 'unknown'`),
    uniqueIndex('roam_items_job_username_idx').on(table.jobId, table.username),
    uniqueIndex('roam_items_job_position_idx').on(table.jobId, table.position),
    // Claims: per job in position order, or across jobs in creation order. The same predicate is what
    // keeps a job open, so the per-job index also serves the completion check.
    index('roam_items_claimable_job_idx')
      .on(table.jobId, table.position)
      .where(sql`${table.status} IN ('pending', 'unknown', 'in_progress') AND NOT ${table.held}`),
    index('roam_items_claimable_idx')
      .on(table.id)
      .where(sql`${table.status} IN ('pending', 'unknown', 'in_progress') AND NOT ${table.held}`),
  ],
);

export const roamAttempts = pgTable(
  'roam_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => roamJobs.id, { onDelete: 'cascade' }),
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => roamItems.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: attemptKinds }).notNull(),
    actor: text('actor').notNull(),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
    /** Null while a roam call is in flight; a check is recorded with its outcome. */
    outcome: text('outcome', { enum: attemptOutcomes }),
    requestId: text('request_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    httpStatus: integer('http_status'),
  },
  (table) => [
    check('roam_attempts_kind_check', oneOf(table.kind, attemptKinds)),
    check(
      'roam_attempts_outcome_check',
      sql`(${table.kind} IN ('roam', 'delete') AND (${table.outcome} IS NULL OR ${oneOf(table.outcome, roamOutcomes)})) OR (${table.kind} = 'check' AND ${oneOf(table.outcome, checkOutcomes)})`,
    ),
    check('roam_attempts_finished_check', sql`(${table.outcome} IS NULL) = (${table.finishedAt} IS NULL)`),
    index('roam_attempts_item_idx').on(table.itemId, table.id),
    index('roam_attempts_job_idx').on(table.jobId, table.id),
    index('roam_attempts_in_flight_idx').on(table.itemId).where(sql`${table.outcome} IS NULL`),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// Users, their sessions and the audit of what was done to their accounts

export const userEventActions = [
  'created',
  'role_changed',
  'disabled',
  'enabled',
  'password_reset',
  'signed_in',
  'signed_out',
  'email_changed',
] as const;
export type UserEventAction = (typeof userEventActions)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * Stored in lower case, so the unique index is case-insensitive. Unique among local accounts, the e-mail
     * being their identity; for an account of the identity provider it is for display and attribution only.
     */
    email: text('email').notNull(),
    /** `scrypt$N$r$p$salt$hash`, see lib/auth/passwords.ts; null for an account of the identity provider. */
    passwordHash: text('password_hash'),
    /** The identity of an account of the identity provider: its issuer and subject (`iss`, `sub`). */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    role: text('role', { enum: ROLES }).notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    passwordChangedAt: timestamptz('password_changed_at').notNull().defaultNow(),
    /** Interface language the user chose (`en`, `zh-CN`); null: follow the browser. */
    locale: text('locale'),
  },
  (table) => [
    check('users_role_check', oneOf(table.role, ROLES)),
    check('users_locale_check', sql`${table.locale} IS NULL OR ${table.locale} IN ('en', 'zh-CN')`),
    check('users_email_check', sql`${table.email} = lower(${table.email}) AND length(${table.email}) > 0`),
    check('users_created_by_check', sql`length(${table.createdBy}) > 0`),
    // Either a local account (a password) or one of the identity provider (issuer and subject), never both.
    check(
      'users_identity_check',
      sql`(${table.passwordHash} IS NOT NULL AND ${table.oidcIssuer} IS NULL AND ${table.oidcSubject} IS NULL) OR (${table.passwordHash} IS NULL AND ${table.oidcIssuer} IS NOT NULL AND ${table.oidcSubject} IS NOT NULL)`,
    ),
    uniqueIndex('users_email_idx').on(table.email).where(sql`${table.oidcIssuer} IS NULL`),
    uniqueIndex('users_oidc_identity_idx')
      .on(table.oidcIssuer, table.oidcSubject)
      .where(sql`${table.oidcIssuer} IS NOT NULL`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** Hex SHA-256 of the session token. The token itself is only ever in the browser's cookie. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    /** Absolute end, however active the session is. */
    expiresAt: timestamptz('expires_at').notNull(),
    userAgent: text('user_agent'),
    clientAddress: text('client_address'),
  },
  (table) => [
    check('sessions_id_check', sql`${table.id} ~ '^[0-9a-f]{64}$'`),
    index('sessions_user_idx').on(table.userId),
    index('sessions_expires_at_idx').on(table.expiresAt),
  ],
);

/**
 * A sign-in through the identity provider that has started and not yet come back: what the callback needs to
 * check the provider's answer (PKCE verifier, nonce) and where to go afterwards. Keyed by the SHA-256 of the
 * `state` sent to the provider, bound to the browser that started it by the SHA-256 of a cookie, used once
 * (`used_at`), and kept in the database so that any replica can take the callback.
 */
export const oidcLogins = pgTable(
  'oidc_logins',
  {
    id: text('id').primaryKey(),
    bindingHash: text('binding_hash').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    returnTo: text('return_to').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (table) => [
    check('oidc_logins_id_check', sql`${table.id} ~ '^[0-9a-f]{64}$'`),
    check('oidc_logins_binding_hash_check', sql`${table.bindingHash} ~ '^[0-9a-f]{64}$'`),
    index('oidc_logins_expires_at_idx').on(table.expiresAt),
  ],
);

/** One row per failed sign-in and key (`account:<email>`, `address:<ip>`), for throttling across processes. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    at: timestamptz('at').notNull(),
  },
  (table) => [
    index('sign_in_failures_key_at_idx').on(table.key, table.at),
    index('sign_in_failures_at_idx').on(table.at),
  ],
);

/** The audit of user accounts. `details` never holds a password, a hash or a session token. */
export const userEvents = pgTable(
  'user_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamptz('at').notNull().defaultNow(),
    /** Who did it: an admin's e-mail, the user themselves, or a start-up or script label. */
    actor: text('actor').notNull(),
    action: text('action', { enum: userEventActions }).notNull(),
    /** No cascade: a user with audit events cannot be deleted, so their audit is never lost with them. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    details: jsonb('details').$type<Record<string, string | number | boolean | null>>(),
  },
  (table) => [
    check('user_events_action_check', oneOf(table.action, userEventActions)),
    check('user_events_actor_check', sql`length(${table.actor}) > 0`),
    index('user_events_user_idx').on(table.userId, table.id),
  ],
);

export type RoamJobRow = typeof roamJobs.$inferSelect;
export type RoamItemRow = typeof roamItems.$inferSelect;
export type RoamAttemptRow = typeof roamAttempts.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type UserEventRow = typeof userEvents.$inferSelect;

// ---------------------------------------------------------------------------------------------------------
// The API rate budget shared by every process on one PostgreSQL (lib/roam/shared-rate-budget.ts)

/**
 * One row per AccessKey (the key is a hash of its ID, never the ID itself): Alibaba Cloud limits the rate per
 * account, not per process, so the processes reserve their call slots here, and a throttling answer seen by
 * one of them slows them all.
 */
export const rateBudgets = pgTable(
  'rate_budgets',
  {
    key: text('key').primaryKey(),
    /** The pace in force, calls per second; lowered by throttling answers, raised again by accepted calls. */
    rate: doublePrecision('rate').notNull(),
    /** The next free slot: a call reserves it and moves it on by 1 / rate. */
    nextSlotAt: timestamptz('next_slot_at').notNull().defaultNow(),
    /** No slot before this instant (the server's retry-after, or a back-off). */
    pausedUntil: timestamptz('paused_until').notNull().defaultNow(),
    throttledInARow: integer('throttled_in_a_row').notNull().default(0),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    check('rate_budgets_rate_check', sql`${table.rate} > 0`),
    check('rate_budgets_throttled_check', sql`${table.throttledInARow} >= 0`),
  ],
);
