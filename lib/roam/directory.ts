import 'server-only';
import { z } from 'zod/mini';
import { getRuntime } from '@/lib/runtime';
import { INSTANCE_ID_PATTERN, REGION_ID_PATTERN } from './schema';
import type { ClientUserPageView, InstanceView, RegionView } from './view-models';

/** The reads behind the pickers: regions, SAG APP instances of a region, client accounts of an instance. */

const REGIONS_TTL_MS = 10 * 60 * 1000;
export const CLIENT_USERS_PAGE_SIZE = 20;

let regionsCache: { at: number; regions: RegionView[] } | undefined;

export async function listRegions(): Promise<RegionView[]> {
  if (regionsCache && Date.now() - regionsCache.at < REGIONS_TTL_MS) return regionsCache.regions;
  const { client } = await getRuntime();
  const regions = (await client.describeRegions({ acceptLanguage: 'en-US' }))
    .map((region) => ({ regionId: region.regionId, localName: region.localName }))
    .sort((left, right) => left.regionId.localeCompare(right.regionId));
  regionsCache = { at: Date.now(), regions };
  return regions;
}

export async function listAppInstances(regionId: string): Promise<InstanceView[]> {
  const { client } = await getRuntime();
  const instances = await client.describeSmartAccessGateways({ regionId, instanceType: 'software' });
  return instances
    .filter((instance) => instance.instanceType !== 'hardware')
    .map((instance) => ({
      smartAGId: instance.smartAGId,
      name: instance.name,
      status: instance.status,
      cidrBlock: instance.cidrBlock ?? '',
      userCount: instance.userCount ?? 0,
      maxUserCount: instance.maxUserCount ?? null,
    }));
}

export const clientUsersQuerySchema = z.object({
  regionId: z.string().check(z.regex(REGION_ID_PATTERN, 'The region ID looks like cn-shanghai')),
  instanceId: z
    .string()
    .check(z.regex(INSTANCE_ID_PATTERN, 'The instance ID looks like sag-m9uhqekwnqcnyy1234')),
  search: z.string().check(z.trim(), z.maxLength(64, 'The search is at most 64 characters')),
  page: z.string().check(z.regex(/^[1-9]\d{0,4}$/, 'The page is a whole number from 1')),
});

export async function listClientUsers(
  query: z.output<typeof clientUsersQuerySchema>,
): Promise<ClientUserPageView> {
  const { client } = await getRuntime();
  const page = await client.describeSmartAccessGatewayClientUsers({
    regionId: query.regionId,
    smartAGId: query.instanceId,
    userName: query.search || undefined,
    pageNumber: Number(query.page),
    pageSize: CLIENT_USERS_PAGE_SIZE,
  });
  return {
    users: page.users.map((user) => ({
      userName: user.userName,
      userMail: user.userMail ?? '',
      clientIp: user.clientIp ?? '',
      state: user.state === 1 ? 'disabled' : 'enabled',
    })),
    totalCount: page.totalCount,
    pageNumber: page.pageNumber,
    pageSize: page.pageSize,
  };
}
