import 'server-only';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Database } from '@/lib/db/database';
import {
  type ClaimedItem,
  claimItems,
  finishRoamAttempt,
  getJob,
  holdItem,
  isItemNotSendable,
  recordCheck,
  releaseItem,
  renewLeases,
  type StopJobSendingInput,
  startRoamAttempt,
  stopJobSending,
} from '@/lib/db/jobs';
import { isSagError, type SagClient } from '@/lib/sag/client';
import { listAllClientUsers } from '@/lib/sag/client-user-pages';
import {
  type CallResult,
  type CheckResult,
  DEFAULT_POLICY,
  decideAfterCall,
  decideAfterCheck,
  type LifecyclePolicy,
} from './lifecycle';
import { AdaptiveRateLimiter, type Clock, type RateBudget, systemClock } from './rate-limiter';

/**
 * The roam worker: claims items of running jobs from the database and sends one RoamClientUser per
 * username, with bounded concurrency and an adaptive request rate. What an answer means is decided by the
 * item lifecycle (lifecycle.ts); the worker carries the decision out: it records, paces, logs.
 *
 * The rules that keep it safe, since RoamClientUser is not idempotent:
 * - Each call is recorded (startRoamAttempt) before it is sent and its outcome after (finishRoamAttempt).
 * - An outcome that is not known (timeout, connection lost after sending, a 5xx) is never resent blindly:
 *   the item is marked `needs_check`, and the next time it is claimed the worker first lists the target
 *   instance (DescribeSmartAccessGatewayClientUsers): present means succeeded (verified), absent means it is
 *   safe to send again. ClientUser.UserExist after such an attempt is resolved the same way.
 * - Items are claimed with leases (FOR UPDATE SKIP LOCKED), so several processes sharing one PostgreSQL
 *   never work on one item at once, and a crashed process's items come back, marked to be checked first.
 */

export type RoamApi = Pick<
  SagClient,
  'roamClientUser' | 'deleteSmartAccessGatewayClientUser' | 'describeSmartAccessGatewayClientUsers'
>;

export interface WorkerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RoamWorkerOptions {
  db: Database;
  api: RoamApi;
  concurrency: number;
  ratePerSecond: number;
  /**
   * The API rate budget; by default one of this process's own at `ratePerSecond`. With a shared PostgreSQL,
   * the budget every process on the AccessKey shares (lib/roam/shared-rate-budget.ts).
   */
  limiter?: RateBudget;
  /** Unique per process; shows in leases. */
  workerId?: string;
  /** How long a claim holds an item; well above one call's timeout plus the pacing wait. */
  leaseMs?: number;
  /** See LifecyclePolicy; defaults in DEFAULT_POLICY. */
  checkDelayMs?: number;
  maxAttemptsPerItem?: number;
  maxCheckFailures?: number;
  /** How often a busy worker looks for more work (its own delayed items, other processes' jobs). */
  pollIntervalMs?: number;
  /**
   * How often a worker that has had nothing to do for a while looks: slow when it is woken by the database
   * (LISTEN/NOTIFY through `kick`), as a fallback; the same as `pollIntervalMs` by default.
   */
  idlePollMs?: number;
  clock?: Clock;
  logger?: WorkerLogger;
}

const silentLogger: WorkerLogger = { info() {}, warn() {}, error() {} };

/**
 * After its last claim a worker keeps polling fast this long: the longest pause it gives an item it releases
 * (throttling's retry-after, the pause before a check) is a minute, and most are under this.
 */
const BUSY_GRACE_MS = 5_000;

export class RoamWorker {
  readonly workerId: string;
  readonly events = new EventEmitter();
  private readonly db: Database;
  private readonly api: RoamApi;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly policy: LifecyclePolicy;
  private readonly pollIntervalMs: number;
  private readonly idlePollMs: number;
  /** When this worker last claimed something or had work in flight. */
  private lastBusyAt = Number.NEGATIVE_INFINITY;
  private readonly clock: Clock;
  private readonly logger: WorkerLogger;
  readonly limiter: RateBudget;
  /** The items this process works on now, with the token of their claim. */
  private readonly inFlight = new Map<number, { task: Promise<void>; leaseToken: string }>();
  private readonly checkFailures = new Map<number, number>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private databaseDown = false;
  private wake: () => void = () => {};

  constructor(options: RoamWorkerOptions) {
    this.db = options.db;
    this.api = options.api;
    this.concurrency = options.concurrency;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.policy = {
      checkDelayMs: options.checkDelayMs ?? DEFAULT_POLICY.checkDelayMs,
      maxAttemptsPerItem: options.maxAttemptsPerItem ?? DEFAULT_POLICY.maxAttemptsPerItem,
      maxCheckFailures: options.maxCheckFailures ?? DEFAULT_POLICY.maxCheckFailures,
    };
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.idlePollMs = options.idlePollMs ?? this.pollIntervalMs;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.limiter =
      options.limiter ?? new AdaptiveRateLimiter({ ratePerSecond: options.ratePerSecond, clock: this.clock });
    this.events.setMaxListeners(0);
  }

  /** Starts the claim loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop().catch((error: unknown) => {
      this.logger.error(`roam worker stopped unexpectedly: ${describeError(error)}`);
    });
  }

  /** Wakes the loop at once, e.g. after a job was created. */
  kick(): void {
    this.wake();
  }

  /**
   * Stops claiming, gives back the items whose call has not started, and waits for the calls in flight to be
   * recorded: at most `timeoutMs` when given (a call still unanswered then is recorded as interrupted by the
   * next start, and its item checked on the target before any resend). Returns whether everything settled.
   */
  async stop(timeoutMs?: number): Promise<boolean> {
    this.stopping = true;
    this.wake();
    const running = this.running;
    if (!running) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      running.then(() => true),
      ...(timeoutMs === undefined
        ? []
        : [
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), timeoutMs);
            }),
          ]),
    ]);
    clearTimeout(timer);
    if (settled) this.running = undefined;
    return settled;
  }

  /** Whether the claim loop runs (readiness). */
  get isRunning(): boolean {
    return this.running !== undefined && !this.stopping;
  }

  /**
   * Resolves true when the job has completed, or false after `timeoutMs`. Used by the server action to
   * answer a small job with its RequestIds at once.
   */
  async waitForJob(jobId: string, timeoutMs: number): Promise<boolean> {
    let onDone: ((id: string) => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const completed = new Promise<boolean>((resolve) => {
      onDone = (id: string) => {
        if (id === jobId) resolve(true);
      };
      this.events.on('job-completed', onDone);
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const job = await getJob(this.db, jobId);
      if (!job) return false;
      if (job.status === 'completed') return true;
      return await completed;
    } finally {
      if (onDone) this.events.off('job-completed', onDone);
      clearTimeout(timer);
    }
  }

  private async loop(): Promise<void> {
    // Leases are renewed while work on them runs, so a slow call or check never lets another worker (or this
    // one) claim its item meanwhile.
    const renewal = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    try {
      while (!this.stopping) {
        const free = this.concurrency - this.inFlight.size;
        let claimed: ClaimedItem[] = [];
        if (free > 0) {
          try {
            claimed = await claimItems(this.db, {
              workerId: this.workerId,
              limit: free,
              leaseMs: this.leaseMs,
              exceptItemIds: [...this.inFlight.keys()],
            });
            this.databaseReachable(true);
          } catch (error) {
            this.databaseReachable(false, error);
          }
          const takenOver = claimed.filter((item) => item.takenOver);
          if (takenOver.length > 0) {
            this.logger.warn(
              `roam worker took over ${takenOver.length} item(s) whose lease expired; each is checked on the target before anything is resent`,
            );
            this.events.emit('lease-takeover', takenOver.length);
          }
          if (claimed.length > 0) this.lastBusyAt = this.clock.now();
          for (const item of claimed) this.track(item);
        }
        if (claimed.length < free || free === 0) await this.idle();
      }
      await Promise.allSettled([...this.inFlight.values()].map(({ task }) => task));
    } finally {
      clearInterval(renewal);
    }
  }

  private async renewLeases(): Promise<void> {
    const leases = [...this.inFlight].map(([itemId, { leaseToken }]) => ({ itemId, leaseToken }));
    if (leases.length === 0) return;
    try {
      const renewed = await renewLeases(this.db, { leases, leaseMs: this.leaseMs });
      const lost = leases.filter(({ itemId }) => !renewed.has(itemId)).length;
      // Finished meanwhile, or lost: the token makes every later report on a lost item change nothing.
      if (lost > 0) this.logger.info(`roam worker: ${lost} lease(s) not renewed (finished or taken over)`);
    } catch (error) {
      this.databaseReachable(false, error);
    }
  }

  private idle(): Promise<void> {
    // Busy a moment ago: items it released with a delay (throttling, a pause before a check) come due soon.
    const busy = this.inFlight.size > 0 || this.clock.now() - this.lastBusyAt < BUSY_GRACE_MS;
    return new Promise((resolve) => {
      const timer = setTimeout(done, busy ? this.pollIntervalMs : this.idlePollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private track(item: ClaimedItem): void {
    const task = this.process(item)
      .catch((error: unknown) => {
        this.logger.error(
          `roam worker failed on item ${item.id} of job ${item.jobId}: ${describeError(error)}`,
        );
      })
      .finally(() => {
        this.inFlight.delete(item.id);
        this.lastBusyAt = this.clock.now();
        this.events.emit('job-updated', item.jobId);
        this.wake();
      });
    this.inFlight.set(item.id, { task, leaseToken: item.leaseToken });
  }

  /**
   * One log line when the database stops answering and one when it is back, not one per poll: an outage of
   * PostgreSQL is a state of the process, and the loop simply tries again at each poll.
   */
  private databaseReachable(reachable: boolean, error?: unknown): void {
    if (reachable === !this.databaseDown) return;
    this.databaseDown = !reachable;
    if (reachable) this.logger.info('roam worker: the database answers again; claiming resumes');
    else {
      this.logger.error(
        `roam worker: the database does not answer (${describeError(error)}); nothing is claimed or sent until it does`,
      );
    }
  }

  /** Who reports on the item: this worker, under the token of this claim. */
  private holder(item: ClaimedItem) {
    return { workerId: this.workerId, leaseToken: item.leaseToken };
  }

  private async process(item: ClaimedItem): Promise<void> {
    const hadUncertainAttempt = item.needsCheck;
    if (this.stopping) return this.giveBack(item);
    if (item.needsCheck) {
      const next = await this.checkTarget(item);
      if (next !== 'send') return;
    }
    await this.send(item, hadUncertainAttempt);
  }

  /**
   * Lists the target for this username; records the check. Returns 'send' only when sending is safe: the
   * call's effect (the account there for a roam, gone for an undo) is not on the target, and nothing of
   * this item may still land.
   */
  private async checkTarget(item: ClaimedItem): Promise<'done' | 'send' | 'unresolved'> {
    let result: CheckResult;
    try {
      // The UserName filter matches parts of names: compare exactly, over every page it returns.
      const listing = await listAllClientUsers(
        this.api,
        { regionId: item.targetRegionId, smartAGId: item.targetInstanceId, userName: item.username },
        // Each page is one more call on the account's budget: paced one by one.
        { until: (user) => user.userName === item.username, beforePage: () => this.limiter.acquire() },
      );
      result = { kind: 'listed', present: listing.found, requestId: listing.requestId };
    } catch (error) {
      result = { kind: 'failed', error: isSagError(error) ? error : undefined };
      if (!isSagError(error)) {
        this.logger.error(`check of item ${item.id} failed unexpectedly: ${describeError(error)}`);
      }
    }
    const decision = decideAfterCheck(
      result,
      this.checkFailures.get(item.id) ?? 0,
      this.policy,
      this.clock.now(),
    );
    if (decision.failures === 0) this.checkFailures.delete(item.id);
    else this.checkFailures.set(item.id, decision.failures);

    if (decision.kind === 'listed') {
      this.limiter.onAccepted();
      const recorded = await recordCheck(this.db, {
        itemId: item.id,
        actor: item.actor,
        ...this.holder(item),
        outcome: decision.outcome,
        requestId: decision.requestId,
      });
      if (recorded.jobCompleted) this.events.emit('job-completed', item.jobId);
      if ((decision.outcome === 'present') === (item.kind === 'roam')) return 'done';
      // The check only frees the item for sending while this worker still holds it.
      return recorded.needsCheck ? 'unresolved' : 'send';
    }

    await recordCheck(this.db, {
      itemId: item.id,
      actor: item.actor,
      ...this.holder(item),
      outcome: 'error',
      ...decision.record,
    });
    if (decision.pace) this.limiter.onThrottled(decision.pace.retryAfterMs);
    if ('park' in decision.next) {
      const { reason, ...error } = decision.next.park;
      this.logger.warn(`item ${item.id} (${item.username}) of job ${item.jobId} is parked: ${reason}`);
      const held = await holdItem(this.db, { itemId: item.id, ...this.holder(item), ...error });
      if (held.jobCompleted) this.events.emit('job-completed', item.jobId);
    } else {
      await releaseItem(this.db, {
        itemId: item.id,
        status: 'unknown',
        ...this.holder(item),
        notBefore: decision.next.release.notBefore,
      });
    }
    return 'unresolved';
  }

  private async send(item: ClaimedItem, hadUncertainAttempt: boolean): Promise<void> {
    await this.limiter.acquire();
    // Stopping (SIGTERM, a rolling update): a call not yet recorded is not started; the item goes back as it
    // was, for the next process, without waiting for its lease to expire.
    if (this.stopping) return this.giveBack(item);
    let attemptId: number;
    try {
      attemptId = await startRoamAttempt(this.db, {
        itemId: item.id,
        actor: item.actor,
        ...this.holder(item),
      });
    } catch (error) {
      if (!isItemNotSendable(error)) throw error;
      // The job stopped sending or was cancelled meanwhile: the item is given up, with the job's reason (or
      // as cancelled), and no call.
      if (error.reason === 'job-stopped') await this.stopJob(item.jobId);
      // Otherwise the lease was lost meanwhile (another worker holds the item now): leave it to that worker.
      return;
    }

    const call = item.kind === 'undo' ? 'delete' : 'roam';
    let result: CallResult;
    try {
      const { requestId } =
        call === 'delete'
          ? await this.api.deleteSmartAccessGatewayClientUser({
              regionId: item.targetRegionId,
              smartAGId: item.targetInstanceId,
              userName: item.username,
            })
          : await this.api.roamClientUser({
              regionId: item.targetRegionId,
              originRegionId: item.originRegionId,
              originSmartAGId: item.originInstanceId,
              targetSmartAGId: item.targetInstanceId,
              userName: item.username,
            });
      result = { kind: 'accepted', requestId };
    } catch (error) {
      if (isSagError(error)) {
        result = { kind: 'refused', error };
      } else {
        // Not an answer from the API: a bug of ours, after the attempt was recorded. Whether the call left
        // is not known, so the item must be checked before anything is resent.
        this.logger.error(`${call} call for item ${item.id} failed unexpectedly: ${describeError(error)}`);
        result = { kind: 'broken' };
      }
    }
    const decision = decideAfterCall(
      { attemptCount: item.attemptCount, hadUncertainAttempt },
      result,
      this.policy,
      this.clock.now(),
      call,
    );
    if (decision.pace && 'accepted' in decision.pace) this.limiter.onAccepted();
    if (decision.pace && 'throttled' in decision.pace) this.limiter.onThrottled(decision.pace.retryAfterMs);
    if (decision.parkedBecause) {
      this.logger.warn(
        `item ${item.id} (${item.username}) of job ${item.jobId} is parked: ${decision.parkedBecause}`,
      );
    }
    const outcome = await finishRoamAttempt(this.db, { attemptId, ...decision.record });
    if (outcome.jobCompleted) this.events.emit('job-completed', item.jobId);
    if (decision.stopJob) {
      this.logger.warn(
        `job ${item.jobId} stops sending: ${decision.stopJob.errorCode} holds for every remaining username`,
      );
      await this.stopJob(item.jobId, decision.stopJob);
    }
  }

  /** Releases an item this worker holds and has not sent (nor found to need a check since claiming it). */
  private async giveBack(item: ClaimedItem): Promise<void> {
    await releaseItem(this.db, {
      itemId: item.id,
      status: item.needsCheck ? 'unknown' : 'pending',
      ...this.holder(item),
    });
  }

  /** Stops the job's sending; its remaining untouched items become not sent (see stopJobSending). */
  private async stopJob(jobId: string, reason?: StopJobSendingInput['reason']): Promise<void> {
    const stopped = await stopJobSending(this.db, { jobId, reason });
    if (stopped.jobCompleted) this.events.emit('job-completed', jobId);
  }
}

function describeError(error: unknown): string {
  if (isSagError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
