// A bigger emulator seed for the resilience tests: the bundled seed plus one origin with many clean accounts
// and one target with room for all of them. No `server-only`: used by Vitest and by Playwright's runner.
import { DEFAULT_SEED, type EmulatorSeed } from '@/lib/emulator';

export interface RoamRoute {
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
}

export interface LargeSeed {
  seed: EmulatorSeed;
  /** From the bulk origin to the bulk target: every username roams cleanly (no clash, CIDR, bandwidth or quota issue). */
  route: RoamRoute;
  /** Every account of the bulk origin, in creation order. */
  usernames: string[];
}

/** Instance IDs are `sag-` + 20 lowercase alphanumerics, as the emulator's seed rules require. */
export const BULK_ORIGIN = { regionId: 'cn-shanghai', instanceId: 'sag-shbulkorigin00000001' } as const;
export const BULK_TARGET = { regionId: 'ap-northeast-1', instanceId: 'sag-jpbulktarget00000001' } as const;

const TARGET_QUOTA = 2_000;

/**
 * DEFAULT_SEED with a bulk origin of `accounts` accounts (`bulk.user0001`…) and an empty bulk target with a
 * quota of 2000, CIDRs apart from each other and 10M of bandwidth for the accounts' 2000 Kbit/s.
 */
export function largeSeed(accounts = 600): LargeSeed {
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > TARGET_QUOTA) {
    throw new RangeError(`accounts must be a whole number from 1 to ${TARGET_QUOTA}`);
  }
  const seed: EmulatorSeed = {
    regions: DEFAULT_SEED.regions,
    instances: [
      ...DEFAULT_SEED.instances,
      {
        smartAgId: BULK_ORIGIN.instanceId,
        regionId: BULK_ORIGIN.regionId,
        name: 'shanghai-bulk-origin-app',
        description: 'Many remote staff, for resilience tests',
        instanceType: 'software',
        status: 'Active',
        cidrBlock: '10.60.0.0/16',
        maxBandwidthMbps: 10,
        quota: TARGET_QUOTA,
        createTime: '2024-01-01T00:00:00Z',
        endTime: '2030-01-01T00:00:00Z',
        mailDomain: 'corp.example.com',
        defaultBandwidthKbps: 2_000,
        generatedAccounts: [{ userName: 'bulk.user{n}', count: accounts, pad: 4 }],
      },
      {
        smartAgId: BULK_TARGET.instanceId,
        regionId: BULK_TARGET.regionId,
        name: 'tokyo-bulk-target-app',
        description: 'Room for every bulk account',
        instanceType: 'software',
        status: 'Active',
        cidrBlock: '10.70.0.0/16',
        maxBandwidthMbps: 10,
        quota: TARGET_QUOTA,
        createTime: '2024-01-01T00:00:00Z',
        endTime: '2030-01-01T00:00:00Z',
        mailDomain: 'corp.example.jp',
        defaultBandwidthKbps: 2_000,
      },
    ],
  };
  return {
    seed,
    route: {
      originRegionId: BULK_ORIGIN.regionId,
      originInstanceId: BULK_ORIGIN.instanceId,
      targetRegionId: BULK_TARGET.regionId,
      targetInstanceId: BULK_TARGET.instanceId,
    },
    usernames: Array.from(
      { length: accounts },
      (_, index) => `bulk.user${String(index + 1).padStart(4, '0')}`,
    ),
  };
}
