// The five smartag operations: parameter checks as the API answers them, then the state, then the body.
import { gatewayErrors, parameterErrors, smartagErrors } from './errors';
import { LANGUAGES, type Language } from './model';
import type { Body } from './render';
import type { EmulatorStore } from './state';

export const API_VERSION = '2018-03-13';

export type Params = ReadonlyMap<string, string>;

export type ActionName =
  | 'RoamClientUser'
  | 'DescribeRegions'
  | 'DescribeSmartAccessGateways'
  | 'DescribeSmartAccessGatewayClientUsers'
  | 'DeleteSmartAccessGatewayClientUser';

export const ACTIONS: readonly ActionName[] = [
  'RoamClientUser',
  'DescribeRegions',
  'DescribeSmartAccessGateways',
  'DescribeSmartAccessGatewayClientUsers',
  'DeleteSmartAccessGatewayClientUser',
];

/** The actions that change state when they succeed (the request log marks them `applied`). */
export const MUTATING_ACTIONS: ReadonlySet<ActionName> = new Set([
  'RoamClientUser',
  'DeleteSmartAccessGatewayClientUser',
]);

export function isAction(name: string): name is ActionName {
  return (ACTIONS as readonly string[]).includes(name);
}

const DEFAULT_PAGE_SIZE = 10;
/** DescribeSmartAccessGateways: "1 to 50, default 10" (documented); beyond it InvalidPageSize. */
const GATEWAYS_MAX_PAGE_SIZE = 50;
/**
 * DescribeSmartAccessGatewayClientUsers: default 10; only an older document gives a bound, 100. Whether the API
 * refuses or clamps a larger value is not documented: the emulator refuses it, like the other list.
 */
const CLIENT_USERS_MAX_PAGE_SIZE = 100;

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw parameterErrors.missing(name);
  return value;
}

function optional(params: Params, name: string): string | undefined {
  const value = params.get(name);
  return value === undefined || value === '' ? undefined : value;
}

function integer(params: Params, name: string, fallback: number, min: number, max: number): number {
  const text = optional(params, name);
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw gatewayErrors.invalidParameter(name);
  const value = Number(text);
  if (value < min || value > max) throw parameterErrors.invalid(name);
  return value;
}

function knownRegion(store: EmulatorStore, params: Params, name: string): string {
  const regionId = required(params, name);
  if (!store.hasRegion(regionId)) throw parameterErrors.invalid(name);
  return regionId;
}

function paging(params: Params, maxPageSize: number): { pageNumber: number; pageSize: number } {
  return {
    pageNumber: integer(params, 'PageNumber', 1, 1, Number.MAX_SAFE_INTEGER),
    pageSize: integer(params, 'PageSize', DEFAULT_PAGE_SIZE, 1, maxPageSize),
  };
}

function page<T>(items: T[], pageNumber: number, pageSize: number): T[] {
  const start = (pageNumber - 1) * pageSize;
  return items.slice(start, start + pageSize);
}

function describeRegions(store: EmulatorStore, params: Params): Body {
  const requested = optional(params, 'AcceptLanguage');
  const language: Language = LANGUAGES.find((candidate) => candidate === requested) ?? 'zh-CN';
  return { Regions: { Region: store.localizedRegions(language) } };
}

function describeSmartAccessGateways(store: EmulatorStore, params: Params): Body {
  const regionId = knownRegion(store, params, 'RegionId');
  const instanceType = optional(params, 'InstanceType');
  if (instanceType !== undefined && instanceType !== 'software' && instanceType !== 'hardware') {
    throw parameterErrors.invalid('InstanceType');
  }
  const { pageNumber, pageSize } = paging(params, GATEWAYS_MAX_PAGE_SIZE);
  const smartAgId = optional(params, 'SmartAGId');
  const name = optional(params, 'Name');
  const status = optional(params, 'Status');
  const found = store.findGateways({
    regionId,
    ...(instanceType === undefined ? {} : { instanceType }),
    ...(smartAgId === undefined ? {} : { smartAgId }),
    ...(name === undefined ? {} : { name }),
    ...(status === undefined ? {} : { status }),
  });
  return {
    TotalCount: found.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    SmartAccessGateways: {
      // No InstanceType and no MaxUserCount in a list item, as in the API: HardwareVersion tells the kind,
      // and UserCount is the purchased quota (inferred), not the accounts in use.
      SmartAccessGateway: page(found, pageNumber, pageSize).map((instance) => ({
        SmartAGId: instance.smartAgId,
        Name: instance.name,
        Description: instance.description,
        Status: instance.status,
        CidrBlock: instance.cidrBlock,
        UserCount: instance.quota,
        MaxBandwidth: `${instance.maxBandwidthMbps}M`,
        CreateTime: instance.createTime,
        EndTime: instance.endTime,
        HardwareVersion: instance.hardwareVersion,
        SerialNumber: instance.serialNumber,
      })),
    },
  };
}

function describeClientUsers(store: EmulatorStore, params: Params): Body {
  const regionId = knownRegion(store, params, 'RegionId');
  const smartAgId = required(params, 'SmartAGId');
  const { pageNumber, pageSize } = paging(params, CLIENT_USERS_MAX_PAGE_SIZE);
  const userName = optional(params, 'UserName');
  const userMail = optional(params, 'UserMail');
  const found = store.findUsers({
    regionId,
    smartAgId,
    ...(userName === undefined ? {} : { userName }),
    ...(userMail === undefined ? {} : { userMail }),
  });
  return {
    TotalCount: found.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    Users: {
      User: page(found, pageNumber, pageSize).map((account) => ({
        UserName: account.userName,
        UserMail: account.userMail,
        ClientIp: account.clientIp,
        Bandwidth: account.bandwidthKbps,
        AccelerateBandwidth: 0,
        IsStaticIp: account.isStaticIp ? 1 : 0,
        State: account.state,
      })),
    },
  };
}

/** The required RoamClientUser parameters, checked before anything is counted or faulted. */
export function readRoamParams(params: Params) {
  return {
    regionId: required(params, 'RegionId'),
    originRegionId: required(params, 'OriginRegionId'),
    originSmartAgId: required(params, 'OriginSmartAGId'),
    targetSmartAgId: required(params, 'TargetSmartAGId'),
    userName: required(params, 'UserName'),
  };
}

function roamClientUser(store: EmulatorStore, params: Params): Body {
  const input = readRoamParams(params);
  if (!store.hasRegion(input.originRegionId)) throw parameterErrors.invalid('OriginRegionId');
  if (!store.hasRegion(input.regionId)) throw parameterErrors.invalid('RegionId');
  store.roamClientUser(input);
  return {};
}

/** Its documented codes for an empty instance ID and username, where the others answer `Missing<Name>`. */
function deleteClientUser(store: EmulatorStore, params: Params): Body {
  const regionId = knownRegion(store, params, 'RegionId');
  const smartAgId = optional(params, 'SmartAGId');
  if (smartAgId === undefined) throw smartagErrors.instanceIdEmpty();
  const userName = optional(params, 'UserName');
  if (userName === undefined) throw smartagErrors.nameEmpty();
  store.deleteClientUser({ regionId, smartAgId, userName });
  return {};
}

/** Runs one action against the store; throws ApiFailure for every documented error. */
export function runAction(action: ActionName, store: EmulatorStore, params: Params): Body {
  switch (action) {
    case 'DescribeRegions':
      return describeRegions(store, params);
    case 'DescribeSmartAccessGateways':
      return describeSmartAccessGateways(store, params);
    case 'DescribeSmartAccessGatewayClientUsers':
      return describeClientUsers(store, params);
    case 'RoamClientUser':
      return roamClientUser(store, params);
    case 'DeleteSmartAccessGatewayClientUser':
      return deleteClientUser(store, params);
  }
}
