import 'server-only';
import type { Locale } from '@/lib/i18n/locales';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import { isSagError, type SagClient, type SagError } from '@/lib/sag/client';
import {
  type ClientUserLister,
  listAllClientUsers,
  MAX_CLIENT_USER_PAGES,
  servedPageSize,
} from '@/lib/sag/client-user-pages';
import { lookupErrorCode } from '@/lib/sag/error-messages';
import {
  type DescribeClientUsersInput,
  quotaOf,
  type SagClientUserPage,
  type SagInstance,
} from '@/lib/sag/operations';
import { computePlan, type InstanceFacts, type RefusedCheck } from './plan';
import type { PlanView } from './plan-view';

/**
 * Reads what a plan needs from the SAG API, once per instance: both instances (DescribeSmartAccessGateways
 * filtered by SmartAGId in their region) and both account lists (the bounded pager), then computes the plan
 * (lib/roam/plan.ts). Every call waits for the account's rate budget, shared with the roam worker.
 *
 * Reads are kept for a short while per instance, so that the plan shown, its re-check when the job is created
 * and another plan a moment later cost one read; two plans at the same time share one read too. A refusal
 * for want of a permission becomes a `not-checked` finding; any other SAG error is thrown, for the caller to
 * show (it is never cached).
 */

export interface PlannerRuntime {
  client: Pick<SagClient, 'describeSmartAccessGatewaysPage' | 'describeSmartAccessGatewayClientUsers'>;
  worker: { limiter: { acquire(): Promise<void> } };
}

export interface PlanRequest {
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
  usernames: readonly string[];
}

export interface PlanOptions {
  /** Stops the reads between calls when the asker went away (a read another plan shares goes on). */
  signal?: AbortSignal;
}

/** How long a read serves again, from when it ended. */
export const PLAN_CACHE_TTL_MS = 30_000;
/** Instances remembered at most (two reads each); the oldest go first. */
const PLAN_CACHE_INSTANCES = 64;
/**
 * Pages of an account list asked ahead of the pager: with a cross-region round trip of 200 ms, one page at a
 * time would take 8 s for an instance of 2,000 accounts. At most this many calls are wasted on a list that
 * ends sooner than its first page said.
 */
const PAGES_AHEAD = 8;

type InstanceRead =
  | { kind: 'found'; instance: SagInstance }
  | { kind: 'not-found' }
  | { kind: 'refused'; error: SagError };

type AccountsRead = { kind: 'listed'; usernames: Set<string> } | { kind: 'refused'; error: SagError };

export async function planRoamJob(
  runtime: PlannerRuntime,
  input: PlanRequest,
  locale: Locale,
  options: PlanOptions = {},
): Promise<PlanView> {
  const { client, worker } = runtime;
  const cache = cacheFor(client);
  let describeCalls = 0;
  // Every call of this plan, paced by the account's budget and counted.
  const paced = async <T>(call: () => Promise<T>): Promise<T> => {
    await worker.limiter.acquire();
    describeCalls += 1;
    return call();
  };

  const sides = [
    { side: 'origin', regionId: input.originRegionId, smartAGId: input.originInstanceId },
    { side: 'target', regionId: input.targetRegionId, smartAGId: input.targetInstanceId },
  ] as const;

  const instances = await Promise.all(
    sides.map(({ regionId, smartAGId }) =>
      cache.read(
        `instance ${regionId} ${smartAGId}`,
        (signal) => readInstance(client, paced, regionId, smartAGId, signal),
        options.signal,
      ),
    ),
  );
  const accounts = await Promise.all(
    sides.map(({ regionId, smartAGId }, index) => {
      const read = instances[index];
      // A missing instance or a device has no list to read; one that could not be described may have one.
      if (
        read?.kind === 'not-found' ||
        (read?.kind === 'found' && read.instance.instanceType === 'hardware')
      ) {
        return null;
      }
      return cache.read(
        `accounts ${regionId} ${smartAGId}`,
        (signal) => readAccounts(client, paced, regionId, smartAGId, signal),
        options.signal,
      );
    }),
  );

  const refused: RefusedCheck[] = [];
  const facts = sides.map(({ side, regionId, smartAGId }, index): InstanceFacts => {
    const read = instances[index];
    const listing = accounts[index];
    const base = { regionId, smartAGId, name: '', status: null, hardware: false, cidrBlock: null };
    if (read?.kind === 'refused') refused.push(refusal(side, read.error));
    if (listing?.kind === 'refused') {
      // Listing an instance that is not there says so, whether or not it could be described.
      if (listing.error.code === 'SAG.InstanceNoFound') return { ...base, lookup: 'not-found' };
      refused.push(refusal(side, listing.error));
    }
    if (read?.kind !== 'found')
      return { ...base, lookup: read?.kind === 'not-found' ? 'not-found' : 'unknown' };
    const { instance } = read;
    return {
      ...base,
      lookup: 'found',
      name: instance.name,
      status: instance.status || null,
      hardware: instance.instanceType === 'hardware',
      cidrBlock: instance.cidrBlock ?? null,
    };
  });
  const [origin, target] = facts as [InstanceFacts, InstanceFacts];
  const [originAccounts, targetAccounts] = accounts;
  const targetRead = instances[1];
  const targetUsernames = targetAccounts?.kind === 'listed' ? targetAccounts.usernames : null;

  return computePlan(
    {
      origin,
      target,
      targetUsed: targetUsernames ? targetUsernames.size : null,
      targetQuota: targetRead?.kind === 'found' ? (quotaOf(targetRead.instance) ?? null) : null,
      originUsernames: originAccounts?.kind === 'listed' ? originAccounts.usernames : null,
      targetUsernames,
      usernames: input.usernames,
      refused,
      computedAt: new Date(),
      describeCalls,
    },
    createTranslator(locale, MESSAGES[locale]),
  );
}

/** Forgets what was read of one instance, or of every instance (after the caller changed it, or in tests). */
export function forgetPlanReads(
  client: PlannerRuntime['client'],
  instance?: { regionId: string; smartAGId: string },
): void {
  const cache = caches.get(client);
  if (!cache) return;
  if (!instance) cache.clear();
  else {
    cache.forget(`instance ${instance.regionId} ${instance.smartAGId}`);
    cache.forget(`accounts ${instance.regionId} ${instance.smartAGId}`);
  }
}

type Paced = <T>(call: () => Promise<T>) => Promise<T>;

function isPermissionError(error: unknown): error is SagError {
  return isSagError(error) && lookupErrorCode(error.code, error.httpStatus).category === 'permission';
}

function refusal(side: RefusedCheck['side'], error: SagError): RefusedCheck {
  return {
    side,
    action:
      error.action === 'DescribeSmartAccessGatewayClientUsers'
        ? 'DescribeSmartAccessGatewayClientUsers'
        : 'DescribeSmartAccessGateways',
    code: error.code,
    requestId: error.requestId ?? null,
  };
}

async function readInstance(
  client: PlannerRuntime['client'],
  paced: Paced,
  regionId: string,
  smartAGId: string,
  signal: AbortSignal,
): Promise<InstanceRead> {
  // Unfiltered first, so that a CPE typed by ID is found and told apart by its HardwareVersion; then as
  // hardware, in case an endpoint lists only SAG APP instances when the type is left out.
  for (const instanceType of ['any', 'hardware'] as const) {
    signal.throwIfAborted();
    let page: Awaited<ReturnType<typeof client.describeSmartAccessGatewaysPage>>;
    try {
      page = await paced(() =>
        client.describeSmartAccessGatewaysPage({ regionId, smartAGId, instanceType, pageSize: 50 }),
      );
    } catch (error) {
      if (isPermissionError(error)) return { kind: 'refused', error };
      throw error;
    }
    // The filter is the API's; the match is ours.
    const instance = page.instances.find((candidate) => candidate.smartAGId === smartAGId);
    if (instance) return { kind: 'found', instance };
  }
  return { kind: 'not-found' };
}

async function readAccounts(
  client: PlannerRuntime['client'],
  paced: Paced,
  regionId: string,
  smartAGId: string,
  signal: AbortSignal,
): Promise<AccountsRead> {
  try {
    const listing = await listAllClientUsers(
      readAhead((page) => paced(() => client.describeSmartAccessGatewayClientUsers(page)), signal),
      { regionId, smartAGId },
      { signal },
    );
    return { kind: 'listed', usernames: new Set(listing.users.map((user) => user.userName)) };
  } catch (error) {
    if (isPermissionError(error) || (isSagError(error) && error.code === 'SAG.InstanceNoFound')) {
      return { kind: 'refused', error };
    }
    throw error;
  }
}

/**
 * A lister that answers the pager from pages asked ahead of it, once the first page has told how many there
 * are. The pager still decides which pages count and where the list ends (its page cap, its distrust of a
 * PageSize of 0, the first short page); a page asked ahead that it never wants is a wasted call, and there
 * are at most PAGES_AHEAD of those. The pacing is in `fetch`, one acquisition per call actually made.
 */
function readAhead(
  fetch: (input: DescribeClientUsersInput) => Promise<SagClientUserPage>,
  signal: AbortSignal,
): ClientUserLister {
  const pages = new Map<string, Promise<SagClientUserPage>>();
  let lastPage = 1;
  let size = 0;
  const ask = (input: DescribeClientUsersInput, pageNumber: number) => {
    const key = `${input.pageSize} ${pageNumber}`;
    let page = pages.get(key);
    if (!page) {
      page = (async () => {
        signal.throwIfAborted();
        return fetch({ ...input, pageNumber });
      })();
      // A page asked ahead may fail unseen (the list ended before it); the pager sees the failures it asks for.
      page.catch(() => {});
      pages.set(key, page);
    }
    return page;
  };
  return {
    async describeSmartAccessGatewayClientUsers(input) {
      const pageNumber = input.pageNumber ?? 1;
      const page = ask(input, pageNumber);
      if (pageNumber === 1) {
        const first = await page;
        size = servedPageSize(input.pageSize ?? first.pageSize, first);
        // Only a full first page says there may be more.
        lastPage =
          size >= 1 && first.users.length >= size
            ? Math.min(MAX_CLIENT_USER_PAGES, Math.ceil(first.totalCount / size))
            : 1;
      }
      // Pages ahead are asked at the size the pager asks next (the one the endpoint serves).
      for (let next = pageNumber + 1; next <= Math.min(lastPage, pageNumber + PAGES_AHEAD); next += 1) {
        ask({ ...input, pageSize: size }, next);
      }
      return page;
    },
  };
}

// ----- The brief cache of reads -------------------------------------------------------------------------

interface CachedRead<T> {
  promise: Promise<T>;
  settled: boolean;
  expiresAt: number;
  controller: AbortController;
  /** Askers still waiting for it; when the last one goes away, the read stops. */
  waiting: number;
  /** Takes it out of the cache (a stopped read must not answer the next asker). */
  drop: () => void;
}

class ReadCache {
  private readonly entries = new Map<string, CachedRead<unknown>>();

  read<T extends { kind: string }>(
    key: string,
    load: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    // A rejection rather than a throw: the caller gathers its reads with Promise.all, which sees them all.
    if (signal?.aborted) return Promise.reject(signal.reason);
    let entry = this.entries.get(key) as CachedRead<T> | undefined;
    if (entry?.settled && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) entry = this.start(key, load);
    return join(entry, signal);
  }

  /** The next asker reads afresh; a read under way still answers those already waiting for it. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private start<T extends { kind: string }>(key: string, load: (signal: AbortSignal) => Promise<T>) {
    const controller = new AbortController();
    const entry: CachedRead<T> = {
      promise: Promise.resolve() as Promise<never>,
      settled: false,
      expiresAt: Number.POSITIVE_INFINITY,
      controller,
      waiting: 0,
      drop: () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    };
    const { drop } = entry;
    entry.promise = load(controller.signal).then(
      (value) => {
        entry.settled = true;
        entry.expiresAt = Date.now() + PLAN_CACHE_TTL_MS;
        // A refusal is kept for no one: the admin may have just granted the permission.
        if (value.kind === 'refused') drop();
        return value;
      },
      (error: unknown) => {
        entry.settled = true;
        drop();
        throw error;
      },
    );
    entry.promise.catch(() => {});
    this.entries.set(key, entry as CachedRead<unknown>);
    while (this.entries.size > PLAN_CACHE_INSTANCES * 2) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }
}

function join<T>(entry: CachedRead<T>, signal: AbortSignal | undefined): Promise<T> {
  entry.waiting += 1;
  // An asker that cannot go away keeps the read alive for good.
  if (!signal) return entry.promise;
  return new Promise<T>((resolve, reject) => {
    const leave = () => {
      signal.removeEventListener('abort', leave);
      entry.waiting -= 1;
      if (entry.waiting === 0 && !entry.settled) {
        entry.drop();
        entry.controller.abort(signal.reason);
      }
      reject(signal.reason);
    };
    // Aborted while the read was being started (its first call draws from the budget at once).
    if (signal.aborted) {
      leave();
      return;
    }
    signal.addEventListener('abort', leave, { once: true });
    entry.promise.then(
      (value) => {
        signal.removeEventListener('abort', leave);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', leave);
        reject(error);
      },
    );
  });
}

const caches = new WeakMap<object, ReadCache>();

/** One cache per client: two emulators in one test process, or two accounts, never share reads. */
function cacheFor(client: PlannerRuntime['client']): ReadCache {
  let cache = caches.get(client);
  if (!cache) {
    cache = new ReadCache();
    caches.set(client, cache);
  }
  return cache;
}
