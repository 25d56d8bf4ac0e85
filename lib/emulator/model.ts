// Shapes of the emulator's seed (what a human edits) and of the read-only views the state API returns.

export type Language = 'zh-CN' | 'en-US' | 'ja';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US', 'ja'];

export type InstanceType = 'software' | 'hardware';

export interface SeedRegion {
  regionId: string;
  localName: Record<Language, string>;
  /** Defaults to `smartag.<regionId>.aliyuncs.com`. */
  endpoint?: string;
}

export interface SeedAccount {
  /** 7–33 chars, letters digits `_ @ . -`, starts with a letter or digit (legacy seeds may break the rule on purpose). */
  userName: string;
  /** Defaults to the username when it looks like an e-mail address, else `<userName>@<instance mailDomain>`. */
  userMail?: string;
  /** Kbit/s; defaults to the instance's `defaultBandwidthKbps`. */
  bandwidthKbps?: number;
  /** A fixed client IP (IsStaticIp 1); absent means the client gets one from the pool (IsStaticIp 0). */
  staticIp?: string;
  /** State 1 (disabled) when true. */
  disabled?: boolean;
  /**
   * The client connected this month: DeleteSmartAccessGatewayClientUser answers `ClientUser.UserInUsing`. The
   * emulator has no calendar; the flag holds until reset() (or is set later with `state.markUsedThisMonth`).
   */
  usedThisMonth?: boolean;
  /**
   * Its user connects as soon as the account is on a target: a roamed copy counts as used this month there, so
   * an undo's DeleteSmartAccessGatewayClientUser of it answers `ClientUser.UserInUsing`.
   */
  connectsWhenRoamed?: boolean;
}

/** A compact spec for many similar accounts: `{n}` in the templates becomes 1..count, zero-padded to `pad`. */
export interface SeedAccountBatch {
  userName: string;
  count: number;
  pad?: number;
  userMail?: string;
  bandwidthKbps?: number;
}

export interface SeedInstance {
  /** `sag-` + 20 lowercase alphanumerics. */
  smartAgId: string;
  regionId: string;
  name: string;
  description?: string;
  instanceType: InstanceType;
  /** e.g. Active, Offline, Ordered. */
  status: string;
  /** The client CIDR block; '' when none is configured yet. */
  cidrBlock: string;
  /** Answered as `"<n>M"`; 1M = 1000 Kbit/s when compared with an account's bandwidth. */
  maxBandwidthMbps: number;
  /**
   * The purchased client account quota, answered as `UserCount` (inferred: docs/sag-api.md); 0 for hardware.
   * RoamClientUser answers `ClientUser.UserOverLimit` once the instance holds this many accounts.
   */
  quota: number;
  createTime: string;
  endTime: string;
  /**
   * `HardwareVersion`: required for hardware (`sag-1000`, `sag-100wm`, `sag-vcpe`…); APP instances always
   * answer `sag-software`, so leave it out for them.
   */
  hardwareVersion?: string;
  serialNumber?: string;
  mailDomain?: string;
  defaultBandwidthKbps?: number;
  accounts?: SeedAccount[];
  generatedAccounts?: SeedAccountBatch[];
}

export interface EmulatorSeed {
  regions: SeedRegion[];
  instances: SeedInstance[];
}

// ---------------------------------------------------------------------------------------------
// Views handed out by `emulator.state` (copies; mutating them changes nothing)
// ---------------------------------------------------------------------------------------------

export interface RegionView {
  regionId: string;
  localName: Record<Language, string>;
  endpoint: string;
}

export interface AccountView {
  userName: string;
  userMail: string;
  bandwidthKbps: number;
  /** '' when the IP is not static. */
  clientIp: string;
  isStaticIp: boolean;
  /** 0 enabled, 1 disabled. */
  state: 0 | 1;
  /** Set on accounts created by RoamClientUser: the origin instance. */
  roamedFrom?: string;
  /** Present when the client connected this month: the account cannot be deleted (ClientUser.UserInUsing). */
  usedThisMonth?: true;
  /** Its roamed copies count as used this month at once (see SeedAccount). */
  connectsWhenRoamed?: true;
}

export interface InstanceView {
  smartAgId: string;
  regionId: string;
  name: string;
  description: string;
  instanceType: InstanceType;
  status: string;
  cidrBlock: string;
  maxBandwidthMbps: number;
  /** The purchased account quota: what DescribeSmartAccessGateways answers as `UserCount`. */
  quota: number;
  /** Accounts it holds now: what DescribeSmartAccessGatewayClientUsers answers as `TotalCount`. */
  accountCount: number;
  createTime: number;
  endTime: number;
  /** As answered: `sag-software` for APP instances, the device model for hardware. */
  hardwareVersion: string;
  serialNumber?: string;
}
