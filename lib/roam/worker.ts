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
  ItemNotSendableError,
  recordCheck,
  releaseItem,
  startRoamAttempt,
} from '@/lib/db/jobs-repository';
import { isSagError, type SagClient, type SagError } from '@/lib/sag/client';
import { AdaptiveRateLimiter, type Clock, systemClock } from './rate-limiter';

/**
 * The roam worker: claims items of running jobs from the database and sends one RoamClientUser per
 * username, with bounded concurrency and an adaptive request rate.
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

export type RoamApi = Pick<SagClient, 'roamClientUser' | 'describeSmartAccessGatewayClientUsers'>;

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
  /** Unique per process; shows in leases. */
  workerId?: string;
  /** How long a claim holds an item; well above one call's timeout plus the pacing wait. */
  leaseMs?: number;
  /** Pause before checking the target after an unknown outcome, giving the API time to settle. */
  checkDelayMs?: number;
  /** Roam attempts per item after which an item whose outcome stays unknown is parked for an admin. */
  maxAttemptsPerItem?: number;
  /** Failed checks of one item in a row after which it is parked. */
  maxCheckFailures?: number;
  /** How often an idle worker looks for work from other processes and for delayed items. */
  pollIntervalMs?: number;
  clock?: Clock;
  logger?: WorkerLogger;
}

const THROTTLING = /^Throttling/;
const silentLogger: WorkerLogger = { info() {}, warn() {}, error() {} };

export class RoamWorker {
  readonly workerId: string;
  readonly events = new EventEmitter();
  private readonly db: Database;
  private readonly api: RoamApi;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly checkDelayMs: number;
  private readonly maxAttemptsPerItem: number;
  private readonly maxCheckFailures: number;
  private readonly pollIntervalMs: number;
  private readonly clock: Clock;
  private readonly logger: WorkerLogger;
  readonly limiter: AdaptiveRateLimiter;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly checkFailures = new Map<number, number>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: () => void = () => {};

  constructor(options: RoamWorkerOptions) {
    this.db = options.db;
    this.api = options.api;
    this.concurrency = options.concurrency;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.checkDelayMs = options.checkDelayMs ?? 1_000;
    this.maxAttemptsPerItem = options.maxAttemptsPerItem ?? 6;
    this.maxCheckFailures = options.maxCheckFailures ?? 3;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.limiter = new AdaptiveRateLimiter({ ratePerSecond: options.ratePerSecond, clock: this.clock });
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

  /** Stops claiming and waits for the calls in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
    this.running = undefined;
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
    while (!this.stopping) {
      const free = this.concurrency - this.inFlight.size;
      let claimed: ClaimedItem[] = [];
      if (free > 0) {
        try {
          claimed = await claimItems(this.db, {
            workerId: this.workerId,
            limit: free,
            leaseMs: this.leaseMs,
          });
        } catch (error) {
          this.logger.error(`roam worker could not claim items: ${describeError(error)}`);
        }
        for (const item of claimed) this.track(item);
      }
      if (claimed.length < free || free === 0) await this.idle();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
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
        this.inFlight.delete(task);
        this.events.emit('job-updated', item.jobId);
        this.wake();
      });
    this.inFlight.add(task);
  }

  private async process(item: ClaimedItem): Promise<void> {
    const hadUncertainAttempt = item.needsCheck;
    if (item.needsCheck) {
      const presence = await this.checkTarget(item);
      if (presence !== 'absent') return;
    }
    await this.send(item, hadUncertainAttempt);
  }

  /** Lists the target for this username; records the check. Returns 'absent' only when sending is safe. */
  private async checkTarget(item: ClaimedItem): Promise<'present' | 'absent' | 'unresolved'> {
    await this.limiter.acquire();
    let present = false;
    let requestId: string | undefined;
    try {
      for (let pageNumber = 1; ; pageNumber += 1) {
        // The UserName filter matches parts of names: compare exactly, over every page it returns.
        const page = await this.api.describeSmartAccessGatewayClientUsers({
          regionId: item.targetRegionId,
          smartAGId: item.targetInstanceId,
          userName: item.username,
          pageNumber,
          pageSize: 50,
        });
        requestId = page.requestId;
        present = page.users.some((user) => user.userName === item.username);
        if (present || pageNumber * page.pageSize >= page.totalCount || page.users.length === 0) break;
      }
      this.limiter.onAccepted();
    } catch (error) {
      await this.onCheckFailed(item, error);
      return 'unresolved';
    }
    this.checkFailures.delete(item.id);
    const result = await recordCheck(this.db, {
      itemId: item.id,
      actor: item.actor,
      workerId: this.workerId,
      outcome: present ? 'present' : 'absent',
      requestId,
    });
    if (result.jobCompleted) this.events.emit('job-completed', item.jobId);
    if (present) return 'present';
    // The check only frees the item for sending while this worker still holds it.
    return result.needsCheck ? 'unresolved' : 'absent';
  }

  private async onCheckFailed(item: ClaimedItem, error: unknown): Promise<void> {
    const sagError = isSagError(error) ? error : undefined;
    await recordCheck(this.db, {
      itemId: item.id,
      actor: item.actor,
      workerId: this.workerId,
      outcome: 'error',
      requestId: sagError?.requestId,
      errorCode: sagError?.code ?? 'SagRoam.CheckFailed',
      errorMessage: sagError?.message ?? 'The check of the target failed unexpectedly.',
      httpStatus: sagError?.httpStatus,
    });
    if (sagError && THROTTLING.test(sagError.code)) {
      this.limiter.onThrottled(sagError.retryAfterMs);
      await releaseItem(this.db, { itemId: item.id, status: 'unknown', workerId: this.workerId });
      return;
    }
    const failures = (this.checkFailures.get(item.id) ?? 0) + 1;
    this.checkFailures.set(item.id, failures);
    // A check is a read: a lost or unreadable answer is worth another try; a refusal (no permission, a bad
    // AccessKey) is not, and parks the item at once.
    const worthRetrying = sagError !== undefined && (sagError.retryable || sagError.outcome === 'unknown');
    if (!worthRetrying || failures >= this.maxCheckFailures) {
      this.checkFailures.delete(item.id);
      this.logger.warn(
        `item ${item.id} (${item.username}) of job ${item.jobId} is parked: the target could not be checked (${
          sagError?.code ?? describeError(error)
        })`,
      );
      const held = await holdItem(this.db, {
        itemId: item.id,
        workerId: this.workerId,
        errorCode: sagError?.code ?? 'SagRoam.CheckFailed',
        errorMessage: sagError?.message ?? 'The check of the target failed unexpectedly.',
        errorRequestId: sagError?.requestId,
      });
      if (held.jobCompleted) this.events.emit('job-completed', item.jobId);
      return;
    }
    await releaseItem(this.db, {
      itemId: item.id,
      status: 'unknown',
      workerId: this.workerId,
      notBefore: new Date(this.clock.now() + this.checkDelayMs * 2 ** failures),
    });
  }

  private async send(item: ClaimedItem, hadUncertainAttempt: boolean): Promise<void> {
    await this.limiter.acquire();
    let attemptId: number;
    try {
      attemptId = await startRoamAttempt(this.db, {
        itemId: item.id,
        actor: item.actor,
        workerId: this.workerId,
      });
    } catch (error) {
      // The lease was lost meanwhile (another worker holds the item now): leave it to that worker.
      if (error instanceof ItemNotSendableError) return;
      throw error;
    }

    let outcome: Awaited<ReturnType<typeof finishRoamAttempt>>;
    try {
      const { requestId } = await this.api.roamClientUser({
        regionId: item.targetRegionId,
        originRegionId: item.originRegionId,
        originSmartAGId: item.originInstanceId,
        targetSmartAGId: item.targetInstanceId,
        userName: item.username,
      });
      this.limiter.onAccepted();
      outcome = await finishRoamAttempt(this.db, { attemptId, outcome: 'succeeded', requestId });
    } catch (error) {
      outcome = await this.recordFailure(item, attemptId, error, hadUncertainAttempt);
    }
    if (outcome.jobCompleted) this.events.emit('job-completed', item.jobId);
  }

  private async recordFailure(
    item: ClaimedItem,
    attemptId: number,
    error: unknown,
    hadUncertainAttempt: boolean,
  ): Promise<Awaited<ReturnType<typeof finishRoamAttempt>>> {
    if (!isSagError(error)) {
      // Not an answer from the API: a bug of ours, after the attempt was recorded. Whether the call left is
      // not known, so the item must be checked before anything is resent.
      this.logger.error(`roam call for item ${item.id} failed unexpectedly: ${describeError(error)}`);
      return finishRoamAttempt(this.db, {
        attemptId,
        outcome: 'unknown',
        errorCode: 'SagRoam.InternalError',
        errorMessage: 'sag-roam failed while sending this call; see the server log.',
        notBefore: this.later(this.checkDelayMs),
      });
    }
    const recorded = errorFields(error);
    if (THROTTLING.test(error.code) && error.outcome === 'not_applied') {
      this.limiter.onThrottled(error.retryAfterMs);
      return finishRoamAttempt(this.db, {
        attemptId,
        outcome: 'failed',
        retryable: true,
        notBefore: this.later(error.retryAfterMs ?? 0),
        ...recorded,
      });
    }
    if (error.outcome === 'unknown' || (error.code === 'ClientUser.UserExist' && hadUncertainAttempt)) {
      // After too many unknown outcomes the item waits for an admin (verify on target, retry failed).
      const hold = item.attemptCount + 1 >= this.maxAttemptsPerItem;
      if (hold) {
        this.logger.warn(
          `item ${item.id} (${item.username}) of job ${item.jobId} is parked: outcome still unknown after ${
            item.attemptCount + 1
          } attempts (${error.code})`,
        );
      }
      return finishRoamAttempt(this.db, {
        attemptId,
        outcome: 'unknown',
        hold,
        notBefore: this.later(this.checkDelayMs),
        ...recorded,
      });
    }
    return finishRoamAttempt(this.db, { attemptId, outcome: 'failed', ...recorded });
  }

  private later(ms: number): Date {
    return new Date(this.clock.now() + ms);
  }
}

function errorFields(error: SagError) {
  return {
    requestId: error.requestId ?? null,
    errorCode: error.code,
    errorMessage: error.message,
    httpStatus: error.httpStatus ?? null,
  };
}

function describeError(error: unknown): string {
  if (isSagError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
