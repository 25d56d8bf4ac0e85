// In-memory SAG state built from a seed: regions, instances, client accounts, and what tests need to
// observe (roam counters, request log). Accounts change through RoamClientUser and
// DeleteSmartAccessGatewayClientUser (and markUsedThisMonth, for tests); reset() rebuilds from the seed.
// Each change of the accounts is also told as an AccountChange, which persistence.ts writes down and
// replays with applyChange(): the accounts are the only state a restart keeps.
import { smartagErrors } from './errors';
import type {
  AccountView,
  EmulatorSeed,
  InstanceType,
  InstanceView,
  Language,
  RegionView,
  SeedAccount,
  SeedInstance,
} from './model';

/** Username rules of CreateSmartAccessGatewayClientUser: 7–33 chars of letters digits `_ @ . -`, first a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_@.-]{6,32}$/;

const INSTANCE_ID_PATTERN = /^sag-[a-z0-9]{20}$/;
/** The `HardwareVersion` of every SAG APP (software) instance. */
export const SOFTWARE_HARDWARE_VERSION = 'sag-software';
const KBPS_PER_MBPS = 1000;
const REQUEST_LOG_LIMIT = 10_000;

export interface RequestLogEntry {
  /** Epoch ms when the request arrived. */
  at: number;
  requestId: string;
  action: string | null;
  scheme: 'v2' | 'v3' | null;
  accessKeyId: string | null;
  /** Every parameter (query, form body, and V3 action/version headers) except Signature and SecurityToken. */
  params: Record<string, string>;
  httpStatus: number | null;
  /** 'OK', an error code, or `Fault.Timeout` / `Fault.Reset` / `Fault.Malformed` when no error body was sent. */
  outcome: string;
  fault: FaultKind | null;
  faultPhase: 'before' | 'after' | null;
  /** True when this request changed state (a RoamClientUser or DeleteSmartAccessGatewayClientUser applied). */
  applied: boolean;
}

export type FaultKind = 'timeout' | 'status500' | 'status503' | 'throttle' | 'reset' | 'malformed';

export interface RoamCount {
  /** Authenticated RoamClientUser requests for this (target, username), whatever their outcome. */
  requests: number;
  /** How many of them changed state (copied the account to the target). */
  applied: number;
}

export interface RoamInput {
  regionId: string;
  originRegionId: string;
  originSmartAgId: string;
  targetSmartAgId: string;
  userName: string;
}

export interface DeleteUserInput {
  regionId: string;
  smartAgId: string;
  userName: string;
}

export interface GatewayFilter {
  regionId: string;
  instanceType?: InstanceType;
  smartAgId?: string;
  name?: string;
  status?: string;
}

export interface UserFilter {
  regionId: string;
  smartAgId: string;
  userName?: string;
  userMail?: string;
}

/**
 * One change of the accounts, as an assignment (the account's whole new value, or its removal), so that
 * replaying a change twice leaves the same state as once.
 */
export type AccountChange =
  | { op: 'put'; smartAgId: string; account: AccountView }
  | { op: 'delete'; smartAgId: string; userName: string }
  | { op: 'reset' };

/** Every instance's accounts in creation order, by instance ID. */
export type AccountsByInstance = Record<string, AccountView[]>;

interface Instance extends InstanceView {
  accounts: Map<string, AccountView>;
}

interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return null;
  const address = ipToNumber(octets);
  return { base: prefix === 0 ? 0 : (address & prefixMask(prefix)) >>> 0, prefix };
}

function parseIp(text: string): number | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  return octets.some((octet) => octet > 255) ? null : ipToNumber(octets);
}

function ipToNumber(octets: number[]): number {
  return octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const shorter = Math.min(a.prefix, b.prefix);
  const mask = prefixMask(shorter);
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

function cidrContains(cidr: Cidr, ip: number): boolean {
  const mask = prefixMask(cidr.prefix);
  return (ip & mask) >>> 0 === cidr.base;
}

function expandTemplate(template: string, index: number, pad: number): string {
  return template.replaceAll('{n}', String(index).padStart(pad, '0'));
}

function toEpoch(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Emulator seed: ${what} is not a date: ${iso}`);
  return ms;
}

function buildAccount(seed: SeedInstance, account: SeedAccount): AccountView {
  const mail =
    account.userMail ??
    (account.userName.includes('@')
      ? account.userName
      : `${account.userName}@${seed.mailDomain ?? 'example.com'}`);
  if (account.staticIp !== undefined && parseIp(account.staticIp) === null) {
    throw new Error(`Emulator seed: ${seed.smartAgId} account ${account.userName} has a bad staticIp`);
  }
  return {
    userName: account.userName,
    userMail: mail,
    bandwidthKbps: account.bandwidthKbps ?? seed.defaultBandwidthKbps ?? 2000,
    clientIp: account.staticIp ?? '',
    isStaticIp: account.staticIp !== undefined,
    state: account.disabled ? 1 : 0,
    ...(account.usedThisMonth ? { usedThisMonth: true as const } : {}),
    ...(account.connectsWhenRoamed ? { connectsWhenRoamed: true as const } : {}),
  };
}

function hardwareVersionOf(seed: SeedInstance): string {
  if (seed.instanceType === 'software') {
    if (seed.hardwareVersion !== undefined && seed.hardwareVersion !== SOFTWARE_HARDWARE_VERSION) {
      throw new Error(`Emulator seed: APP instance ${seed.smartAgId} must not name a hardware version`);
    }
    return SOFTWARE_HARDWARE_VERSION;
  }
  if (!seed.hardwareVersion || seed.hardwareVersion === SOFTWARE_HARDWARE_VERSION) {
    throw new Error(
      `Emulator seed: hardware instance ${seed.smartAgId} needs its hardwareVersion (e.g. sag-1000)`,
    );
  }
  return seed.hardwareVersion;
}

function buildInstance(seed: SeedInstance, regionIds: Set<string>): Instance {
  if (!INSTANCE_ID_PATTERN.test(seed.smartAgId)) {
    throw new Error(`Emulator seed: instance ID ${seed.smartAgId} is not sag- + 20 lowercase alphanumerics`);
  }
  if (!regionIds.has(seed.regionId)) {
    throw new Error(`Emulator seed: ${seed.smartAgId} is in unknown region ${seed.regionId}`);
  }
  if (seed.cidrBlock !== '' && parseCidr(seed.cidrBlock) === null) {
    throw new Error(`Emulator seed: ${seed.smartAgId} has a bad cidrBlock ${seed.cidrBlock}`);
  }
  if (!Number.isInteger(seed.quota) || seed.quota < 0) {
    throw new Error(`Emulator seed: ${seed.smartAgId} has a bad quota ${seed.quota}`);
  }
  const hardwareVersion = hardwareVersionOf(seed);
  const accounts = new Map<string, AccountView>();
  const add = (account: SeedAccount) => {
    if (accounts.has(account.userName)) {
      throw new Error(`Emulator seed: ${seed.smartAgId} lists ${account.userName} twice`);
    }
    accounts.set(account.userName, buildAccount(seed, account));
  };
  for (const account of seed.accounts ?? []) add(account);
  for (const batch of seed.generatedAccounts ?? []) {
    for (let index = 1; index <= batch.count; index += 1) {
      const pad = batch.pad ?? 0;
      const userName = expandTemplate(batch.userName, index, pad);
      add({
        userName,
        ...(batch.userMail === undefined ? {} : { userMail: expandTemplate(batch.userMail, index, pad) }),
        ...(batch.bandwidthKbps === undefined ? {} : { bandwidthKbps: batch.bandwidthKbps }),
      });
    }
  }
  if (seed.instanceType === 'hardware' && accounts.size > 0) {
    throw new Error(`Emulator seed: hardware instance ${seed.smartAgId} cannot hold client accounts`);
  }
  return {
    smartAgId: seed.smartAgId,
    regionId: seed.regionId,
    name: seed.name,
    description: seed.description ?? '',
    instanceType: seed.instanceType,
    status: seed.status,
    cidrBlock: seed.cidrBlock,
    maxBandwidthMbps: seed.maxBandwidthMbps,
    quota: seed.quota,
    accountCount: accounts.size,
    createTime: toEpoch(seed.createTime, `${seed.smartAgId} createTime`),
    endTime: toEpoch(seed.endTime, `${seed.smartAgId} endTime`),
    hardwareVersion,
    ...(seed.serialNumber === undefined ? {} : { serialNumber: seed.serialNumber }),
    accounts,
  };
}

function instanceView(instance: Instance): InstanceView {
  const { accounts, ...view } = instance;
  return { ...view, accountCount: accounts.size };
}

export class EmulatorStore {
  private regionList: RegionView[] = [];
  private instances = new Map<string, Instance>();
  private roamCounts = new Map<string, RoamCount>();
  private log: RequestLogEntry[] = [];
  /** Told every change of the accounts, synchronously, before the call that made it answers. */
  onChange: ((change: AccountChange) => void) | undefined;

  constructor(private readonly seed: EmulatorSeed) {
    this.rebuild();
  }

  /** Rebuilds regions, instances and accounts from the seed and forgets counters and the request log. */
  reset(): void {
    this.rebuild();
    this.onChange?.({ op: 'reset' });
  }

  private rebuild(): void {
    const regionIds = new Set<string>();
    this.regionList = this.seed.regions.map((region) => {
      if (regionIds.has(region.regionId)) throw new Error(`Emulator seed: region ${region.regionId} twice`);
      regionIds.add(region.regionId);
      return {
        regionId: region.regionId,
        localName: { ...region.localName },
        endpoint: region.endpoint ?? `smartag.${region.regionId}.aliyuncs.com`,
      };
    });
    this.instances = new Map();
    for (const seed of this.seed.instances) {
      if (this.instances.has(seed.smartAgId))
        throw new Error(`Emulator seed: instance ${seed.smartAgId} twice`);
      this.instances.set(seed.smartAgId, buildInstance(seed, regionIds));
    }
    this.roamCounts = new Map();
    this.log = [];
  }

  // ----- saved state (persistence.ts) --------------------------------------------------------

  /** Every instance's accounts, as a saved state holds them (hardware instances hold none). */
  savedAccounts(): AccountsByInstance {
    const saved: AccountsByInstance = {};
    for (const instance of this.instances.values()) {
      if (instance.instanceType === 'software') saved[instance.smartAgId] = this.accounts(instance.smartAgId);
    }
    return saved;
  }

  /**
   * Replaces the accounts of the seed's APP instances by saved ones; an instance the saved state does not
   * name keeps its seed accounts. Returns the instance IDs it could not place (not in the seed, or hardware).
   */
  restoreAccounts(saved: AccountsByInstance): string[] {
    const dropped: string[] = [];
    for (const [smartAgId, accounts] of Object.entries(saved)) {
      const instance = this.instances.get(smartAgId);
      if (instance?.instanceType !== 'software') {
        dropped.push(smartAgId);
        continue;
      }
      instance.accounts = new Map(accounts.map((account) => [account.userName, { ...account }]));
    }
    return dropped;
  }

  /** Replays a saved change; false when it names an instance this seed has no APP instance for. */
  applyChange(change: AccountChange): boolean {
    if (change.op === 'reset') {
      this.rebuild();
      return true;
    }
    const instance = this.instances.get(change.smartAgId);
    if (instance?.instanceType !== 'software') return false;
    if (change.op === 'put') instance.accounts.set(change.account.userName, { ...change.account });
    else instance.accounts.delete(change.userName);
    return true;
  }

  // ----- reads -------------------------------------------------------------------------------

  regions(): RegionView[] {
    return this.regionList.map((region) => ({ ...region, localName: { ...region.localName } }));
  }

  hasRegion(regionId: string): boolean {
    return this.regionList.some((region) => region.regionId === regionId);
  }

  localizedRegions(language: Language): { RegionId: string; LocalName: string; RegionEndpoint: string }[] {
    return this.regionList.map((region) => ({
      RegionId: region.regionId,
      LocalName: region.localName[language],
      RegionEndpoint: region.endpoint,
    }));
  }

  instance(smartAgId: string): InstanceView | undefined {
    const instance = this.instances.get(smartAgId);
    return instance ? instanceView(instance) : undefined;
  }

  /** Instances in seed order, optionally of one region. */
  listInstances(regionId?: string): InstanceView[] {
    return [...this.instances.values()]
      .filter((instance) => regionId === undefined || instance.regionId === regionId)
      .map(instanceView);
  }

  findGateways(filter: GatewayFilter): InstanceView[] {
    return this.listInstances(filter.regionId).filter(
      (instance) =>
        (filter.instanceType === undefined || instance.instanceType === filter.instanceType) &&
        (filter.smartAgId === undefined || instance.smartAgId === filter.smartAgId) &&
        (filter.name === undefined || instance.name.includes(filter.name)) &&
        (filter.status === undefined || instance.status === filter.status),
    );
  }

  /** Accounts of an instance in creation order; [] for an unknown instance. */
  accounts(smartAgId: string): AccountView[] {
    const instance = this.instances.get(smartAgId);
    return instance ? [...instance.accounts.values()].map((account) => ({ ...account })) : [];
  }

  /** Client users of an instance in a region; `UserName`/`UserMail` filter by substring (inferred). */
  findUsers(filter: UserFilter): AccountView[] {
    const instance = this.instances.get(filter.smartAgId);
    if (!instance || instance.regionId !== filter.regionId) throw smartagErrors.instanceNotFound();
    return this.accounts(instance.smartAgId).filter(
      (account) =>
        (filter.userName === undefined || account.userName.includes(filter.userName)) &&
        (filter.userMail === undefined || account.userMail.includes(filter.userMail)),
    );
  }

  roamCount(targetSmartAgId: string, userName: string): RoamCount {
    const count = this.roamCounts.get(roamKey(targetSmartAgId, userName));
    return count ? { ...count } : { requests: 0, applied: 0 };
  }

  requestLog(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry, params: { ...entry.params } }));
  }

  appendLog(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  // ----- RoamClientUser ----------------------------------------------------------------------

  /** Counts an authenticated RoamClientUser request, before it is validated or faulted. */
  countRoamRequest(targetSmartAgId: string, userName: string): void {
    const key = roamKey(targetSmartAgId, userName);
    const count = this.roamCounts.get(key) ?? { requests: 0, applied: 0 };
    this.roamCounts.set(key, { ...count, requests: count.requests + 1 });
  }

  /**
   * Validates in the order a careful backend would (names, instances, regions, instance kinds, CIDRs, then
   * the account against the target), then copies the account to the target. Throws ApiFailure.
   */
  roamClientUser(input: RoamInput): void {
    if (!USERNAME_PATTERN.test(input.userName)) throw smartagErrors.nameInvalid();
    const origin = this.instances.get(input.originSmartAgId);
    if (!origin || origin.regionId !== input.originRegionId) throw smartagErrors.instanceNotFound();
    const target = this.instances.get(input.targetSmartAgId);
    if (!target || target.regionId !== input.regionId) throw smartagErrors.instanceNotFound();
    if (origin.regionId === target.regionId) throw smartagErrors.sameRegion();
    if (origin.instanceType !== 'software' || target.instanceType !== 'software') {
      throw smartagErrors.notSupportAction();
    }
    const targetCidr = parseCidr(target.cidrBlock);
    if (!targetCidr) throw smartagErrors.cidrEmpty();
    const originCidr = parseCidr(origin.cidrBlock);
    if (originCidr && cidrsOverlap(originCidr, targetCidr)) throw smartagErrors.cidrOverlap();
    const account = origin.accounts.get(input.userName);
    if (!account) throw smartagErrors.userNotExist();
    if (target.accounts.has(input.userName)) throw smartagErrors.userExist();
    if (target.accounts.size >= target.quota) throw smartagErrors.userOverLimit();
    if (account.bandwidthKbps > target.maxBandwidthMbps * KBPS_PER_MBPS)
      throw smartagErrors.bandwidthInvalid();
    if (account.isStaticIp) {
      const ip = parseIp(account.clientIp);
      if (ip === null || !cidrContains(targetCidr, ip)) throw smartagErrors.invalidClientIp();
    }
    // A new account on the target: nobody has connected with it there yet, unless its user connects at once.
    const { usedThisMonth: _usedOnOrigin, ...copy } = account;
    const roamed: AccountView = {
      ...copy,
      roamedFrom: origin.smartAgId,
      ...(account.connectsWhenRoamed ? { usedThisMonth: true as const } : {}),
    };
    target.accounts.set(account.userName, roamed);
    this.onChange?.({ op: 'put', smartAgId: target.smartAgId, account: { ...roamed } });
    const key = roamKey(target.smartAgId, account.userName);
    const count = this.roamCounts.get(key) ?? { requests: 0, applied: 0 };
    this.roamCounts.set(key, { ...count, applied: count.applied + 1 });
  }

  // ----- DeleteSmartAccessGatewayClientUser ---------------------------------------------------

  /**
   * Removes one account, which frees a place of the quota. Checks: username format, instance in the region,
   * account on it (inferred code), not used this month (`ClientUser.UserInUsing`). Throws ApiFailure.
   */
  deleteClientUser(input: DeleteUserInput): void {
    if (!USERNAME_PATTERN.test(input.userName)) throw smartagErrors.nameInvalid();
    const instance = this.instances.get(input.smartAgId);
    if (!instance || instance.regionId !== input.regionId) throw smartagErrors.instanceNotFound();
    const account = instance.accounts.get(input.userName);
    if (!account) throw smartagErrors.userNotExist();
    if (account.usedThisMonth) throw smartagErrors.userInUsing();
    instance.accounts.delete(input.userName);
    this.onChange?.({ op: 'delete', smartAgId: instance.smartAgId, userName: input.userName });
  }

  /** Test hook: a client connected with this account (so it cannot be deleted). False when there is none. */
  markUsedThisMonth(smartAgId: string, userName: string): boolean {
    const account = this.instances.get(smartAgId)?.accounts.get(userName);
    if (!account) return false;
    account.usedThisMonth = true;
    this.onChange?.({ op: 'put', smartAgId, account: { ...account } });
    return true;
  }
}

function roamKey(targetSmartAgId: string, userName: string): string {
  return `${targetSmartAgId}\u0000${userName}`;
}
