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
  /** The client account quota (inferred field name `MaxUserCount`); 0 for hardware. */
  maxUserCount: number;
  createTime: string;
  endTime: string;
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
  maxUserCount: number;
  userCount: number;
  createTime: number;
  endTime: number;
  hardwareVersion?: string;
  serialNumber?: string;
}
