import 'server-only';
import { asBoolean, asNumber, asRequestId, asString, type BodyObject, field, listOf } from './parse';

/**
 * The smartag operations sag-roam uses: typed inputs, the RPC parameters they become, and the mapping from a
 * parsed body (JSON or XML) to typed results. No I/O here.
 */

export const SMARTAG_PRODUCT = 'smartag';
export const SMARTAG_API_VERSION = '2018-03-13';

export type AcceptLanguage = 'zh-CN' | 'en-US' | 'ja';
export type InstanceType = 'software' | 'hardware';

export interface RoamClientUserInput {
  /** Region of the target (destination) instance; the call goes to this region's endpoint. */
  regionId: string;
  originRegionId: string;
  originSmartAGId: string;
  targetSmartAGId: string;
  userName: string;
}

export interface RoamClientUserResult {
  requestId: string;
}

export interface DeleteClientUserInput {
  /** Region of the instance that holds the account; the call goes to this region's endpoint. */
  regionId: string;
  smartAGId: string;
  userName: string;
}

export interface DeleteClientUserResult {
  requestId: string;
}

export interface DescribeRegionsInput {
  /** Language of `localName`. Defaults to en-US (the API itself defaults to zh-CN). */
  acceptLanguage?: AcceptLanguage;
}

export interface SagRegion {
  regionId: string;
  localName: string;
  /** Host name such as `smartag.cn-shanghai.aliyuncs.com`; empty when the API gives none. */
  regionEndpoint: string;
}

export interface DescribeSmartAccessGatewaysInput {
  regionId: string;
  /**
   * Defaults to `software` (SAG APP instances, the only ones with client accounts). `any` sends no filter, so
   * that an instance typed by ID is found whatever its kind and `instanceType` tells a CPE from a missing one.
   */
  instanceType?: InstanceType | 'any';
  name?: string;
  status?: string;
  smartAGId?: string;
  /** 1 to 50; defaults to 50 when following every page. */
  pageSize?: number;
}

export interface DescribeSmartAccessGatewaysPageInput extends DescribeSmartAccessGatewaysInput {
  /** From 1. */
  pageNumber?: number;
}

export interface SagInstance {
  smartAGId: string;
  name: string;
  description: string | undefined;
  status: string;
  /** Private CIDR block(s) as the API returns them (may be comma-separated). */
  cidrBlock: string | undefined;
  /** `UserCount` as answered; read the account quota through quotaOf(), never from here. */
  userCount: number | undefined;
  /** `sag-software` for SAG APP instances; the device model (`sag-1000`, `sag-100wm`, `sag-vcpe`…) for hardware. */
  hardwareVersion: string | undefined;
  /** String with a unit, e.g. "1M". */
  maxBandwidth: string | undefined;
  /** Epoch milliseconds. */
  createTime: number | undefined;
  endTime: number | undefined;
  /**
   * From `HardwareVersion`; else from an `InstanceType` field should an answer carry one (list items have none);
   * else the type that was asked for (the API filters by it); undefined when nothing tells.
   */
  instanceType: InstanceType | undefined;
  regionId: string;
}

export interface Page {
  /** RequestId of the answer (of the last page, when several were followed). */
  requestId: string | undefined;
  totalCount: number;
  pageNumber: number;
  pageSize: number;
}

export interface SagInstancePage extends Page {
  instances: SagInstance[];
}

export interface DescribeClientUsersInput {
  regionId: string;
  smartAGId: string;
  userName?: string;
  userMail?: string;
  pageNumber?: number;
  pageSize?: number;
}

export interface SagClientUser {
  userName: string;
  userMail: string | undefined;
  clientIp: string | undefined;
  /** Kbit/s. */
  bandwidth: number | undefined;
  isStaticIp: boolean;
  /** 0 enabled, 1 disabled (as documented). */
  state: number | undefined;
}

export interface SagClientUserPage extends Page {
  users: SagClientUser[];
}

/** Parameters as sent: every value a string, absent values left out. */
export type RpcParameters = Record<string, string>;

function compact(parameters: Record<string, string | number | undefined>): RpcParameters {
  const result: RpcParameters = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === '') continue;
    result[name] = String(value);
  }
  return result;
}

/**
 * The client account quota of an instance: the `UserCount` of DescribeSmartAccessGateways. Inferred, not
 * documented (docs/sag-api.md): UserCount is "the number of client accounts", and the purchased quota in
 * CreateSmartAccessGatewaySoftware and UpgradeSmartAccessGatewaySoftware. The accounts in use are the
 * TotalCount of DescribeSmartAccessGatewayClientUsers. If a real account shows otherwise, change only this.
 */
export function quotaOf(instance: Pick<SagInstance, 'userCount'>): number | undefined {
  const quota = instance.userCount;
  return quota !== undefined && Number.isInteger(quota) && quota >= 0 ? quota : undefined;
}

export function roamClientUserParameters(input: RoamClientUserInput): RpcParameters {
  return compact({
    RegionId: input.regionId,
    OriginRegionId: input.originRegionId,
    OriginSmartAGId: input.originSmartAGId,
    TargetSmartAGId: input.targetSmartAGId,
    UserName: input.userName,
  });
}

export function deleteClientUserParameters(input: DeleteClientUserInput): RpcParameters {
  return compact({ RegionId: input.regionId, SmartAGId: input.smartAGId, UserName: input.userName });
}

export function describeRegionsParameters(input: DescribeRegionsInput): RpcParameters {
  return compact({ AcceptLanguage: input.acceptLanguage ?? 'en-US' });
}

export function describeSmartAccessGatewaysParameters(
  input: DescribeSmartAccessGatewaysPageInput,
): RpcParameters {
  return compact({
    RegionId: input.regionId,
    InstanceType: input.instanceType === 'any' ? undefined : (input.instanceType ?? 'software'),
    Name: input.name,
    Status: input.status,
    SmartAGId: input.smartAGId,
    PageNumber: input.pageNumber,
    PageSize: input.pageSize,
  });
}

export function describeClientUsersParameters(input: DescribeClientUsersInput): RpcParameters {
  return compact({
    RegionId: input.regionId,
    SmartAGId: input.smartAGId,
    UserName: input.userName,
    UserMail: input.userMail,
    PageNumber: input.pageNumber,
    PageSize: input.pageSize,
  });
}

/** The answer's RequestId when it looks like one (see asRequestId); recorded as the proof of an answer. */
export function requestIdOf(body: BodyObject): string | undefined {
  return asRequestId(field(body, 'RequestId', 'requestId'));
}

export function toRegions(body: BodyObject): SagRegion[] {
  return listOf(field(body, 'Regions', 'regions'), 'Region')
    .map((region) => ({
      regionId: asString(region.RegionId) ?? '',
      localName: asString(region.LocalName) ?? asString(region.RegionId) ?? '',
      regionEndpoint: asString(region.RegionEndpoint) ?? '',
    }))
    .filter((region) => region.regionId !== '');
}

const SOFTWARE_HARDWARE_VERSION = 'sag-software';

function toInstanceType(value: unknown): InstanceType | undefined {
  const text = asString(value)?.toLowerCase();
  return text === 'software' || text === 'hardware' ? text : undefined;
}

/** Every SAG APP instance answers `sag-software`; any other model name is a device (or a vCPE). */
function kindOfHardwareVersion(version: string | undefined): InstanceType | undefined {
  if (version === undefined) return undefined;
  return version.toLowerCase() === SOFTWARE_HARDWARE_VERSION ? 'software' : 'hardware';
}

function toPage(
  body: BodyObject,
  itemCount: number,
  asked: { pageNumber?: number; pageSize?: number },
): Page {
  return {
    requestId: requestIdOf(body),
    totalCount: asNumber(body.TotalCount) ?? itemCount,
    pageNumber: asNumber(body.PageNumber) ?? asked.pageNumber ?? 1,
    pageSize: asNumber(body.PageSize) ?? asked.pageSize ?? itemCount,
  };
}

export function toInstancePage(
  body: BodyObject,
  input: DescribeSmartAccessGatewaysPageInput,
): SagInstancePage {
  const askedType = input.instanceType === 'any' ? undefined : (input.instanceType ?? 'software');
  const instances = listOf(body.SmartAccessGateways, 'SmartAccessGateway')
    .map((item): SagInstance => {
      const hardwareVersion = asString(item.HardwareVersion)?.trim() || undefined;
      return {
        smartAGId: asString(item.SmartAGId) ?? '',
        name: asString(item.Name) ?? '',
        description: asString(item.Description) || undefined,
        status: asString(item.Status) ?? '',
        cidrBlock: asString(item.CidrBlock) || undefined,
        userCount: asNumber(item.UserCount),
        hardwareVersion,
        maxBandwidth: asString(item.MaxBandwidth) || undefined,
        createTime: asNumber(item.CreateTime),
        endTime: asNumber(item.EndTime),
        instanceType:
          kindOfHardwareVersion(hardwareVersion) ?? toInstanceType(item.InstanceType) ?? askedType,
        regionId: input.regionId,
      };
    })
    .filter((instance) => instance.smartAGId !== '');
  return { instances, ...toPage(body, instances.length, input) };
}

export function toClientUserPage(body: BodyObject, input: DescribeClientUsersInput): SagClientUserPage {
  const users = listOf(body.Users, 'User')
    .map(
      (item): SagClientUser => ({
        userName: asString(item.UserName) ?? '',
        userMail: asString(item.UserMail) || undefined,
        clientIp: asString(item.ClientIp) || undefined,
        bandwidth: asNumber(item.Bandwidth),
        isStaticIp: asBoolean(item.IsStaticIp) ?? false,
        state: asNumber(item.State),
      }),
    )
    .filter((user) => user.userName !== '');
  return { users, ...toPage(body, users.length, input) };
}
