// The bench's emulator seed: the bundled DEFAULT_SEED plus a batch of plain accounts on the usual origin
// (enough for the largest job), and room for them on the target. Everything else is the bundled seed.
import {
  DEFAULT_SEED,
  type Emulator,
  type EmulatorKnobs,
  type EmulatorSeed,
  SEED_INSTANCES,
  startEmulator,
} from '@/lib/emulator';
import { onCleanup } from './cleanup';

export const BENCH_ORIGIN = {
  regionId: 'cn-shanghai',
  instanceId: SEED_INSTANCES.shanghaiHq,
  name: 'shanghai-hq-app',
} as const;
/** Tokyo: no name clash with the origin, CIDRs apart, bandwidth enough for the batch's 2 Mbit/s accounts. */
export const BENCH_TARGET = {
  regionId: 'ap-northeast-1',
  instanceId: SEED_INSTANCES.tokyo,
  name: 'tokyo-app',
} as const;

const BATCH_PREFIX = 'bench.user';
/** At least this many accounts, so that every case can use fresh usernames up to --n 400. */
const MIN_ACCOUNTS = 400;

export function benchSeed(accounts: number): EmulatorSeed {
  const count = Math.max(MIN_ACCOUNTS, accounts);
  const seed = structuredClone(DEFAULT_SEED);
  for (const instance of seed.instances) {
    if (instance.smartAgId === BENCH_ORIGIN.instanceId) {
      instance.generatedAccounts = [
        ...(instance.generatedAccounts ?? []),
        { userName: `${BATCH_PREFIX}{n}`, count, pad: 4 },
      ];
      instance.quota = Math.max(instance.quota, 2 * count + 500);
    }
    if (instance.smartAgId === BENCH_TARGET.instanceId) {
      instance.quota = Math.max(2_000, count + 500);
    }
  }
  return seed;
}

/** The first `count` accounts of the bench batch, read back from the emulator (not guessed). */
export function benchUsernames(emulator: Emulator, count: number): string[] {
  const names = emulator.state
    .accounts(BENCH_ORIGIN.instanceId)
    .map((account) => account.userName)
    .filter((name) => name.startsWith(BATCH_PREFIX))
    .sort();
  if (names.length < count) {
    throw new Error(`the bench seed holds ${names.length} batch accounts, ${count} are needed`);
  }
  return names.slice(0, count);
}

/** An in-process emulator on 127.0.0.1 with the bench seed, closed by the bench's clean-up. */
export async function startBenchEmulator(
  accounts: number,
  knobs: Partial<EmulatorKnobs> = {},
): Promise<{ emulator: Emulator; close: () => Promise<void> }> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: benchSeed(accounts), knobs });
  const close = onCleanup('emulator', () => emulator.close());
  return { emulator, close };
}

/** Usernames never applied, or applied more than once, on the target. */
export function appliedOnceProblems(emulator: Emulator, usernames: readonly string[]) {
  const onTarget = new Set(emulator.state.accounts(BENCH_TARGET.instanceId).map((a) => a.userName));
  let missing = 0;
  let twice = 0;
  let requests = 0;
  for (const username of usernames) {
    const count = emulator.state.roamCount(BENCH_TARGET.instanceId, username);
    requests += count.requests;
    if (count.applied > 1) twice += 1;
    if (count.applied === 0 || !onTarget.has(username)) missing += 1;
  }
  return { missing, twice, requests };
}
