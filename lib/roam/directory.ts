import 'server-only';
import { z } from 'zod/mini';
import { type Locale, regionLanguage } from '@/lib/i18n/locales';
import type { Translate } from '@/lib/i18n/translate';
import { getRuntime } from '@/lib/runtime';
import type { SagClientUser } from '@/lib/sag/client';
import { listAllClientUsers } from '@/lib/sag/client-user-pages';
import { quotaOf } from '@/lib/sag/operations';
import { INSTANCE_ID_PATTERN, REGION_ID_PATTERN } from './schema';
import type { ClientUserPageView, ClientUserView, InstanceView, RegionView } from './view-models';

/** The reads behind the pickers: regions, SAG APP instances of a region, client accounts of an instance. */

const REGIONS_TTL_MS = 10 * 60 * 1000;
export const CLIENT_USERS_PAGE_SIZE = 20;

const regionsCache = new Map<Locale, { at: number; regions: RegionView[] }>();

/** The regions, named in the interface language (DescribeRegions' AcceptLanguage); cached per language. */
export async function listRegions(locale: Locale): Promise<RegionView[]> {
  const cached = regionsCache.get(locale);
  if (cached && Date.now() - cached.at < REGIONS_TTL_MS) return cached.regions;
  const { client } = await getRuntime();
  const regions = (await client.describeRegions({ acceptLanguage: regionLanguage(locale) }))
    .map((region) => ({ regionId: region.regionId, localName: region.localName }))
    .sort((left, right) => left.regionId.localeCompare(right.regionId));
  regionsCache.set(locale, { at: Date.now(), regions });
  return regions;
}

/**
 * The SAG APP instances of a region, for the picker. One call per page of instances: the accounts in use would
 * cost a call per instance (DescribeSmartAccessGatewayClientUsers), so the list shows the quota only and the
 * plan reads the used count of the two instances it checks.
 */
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
      quota: quotaOf(instance) ?? null,
    }));
}

export const createClientUsersQuerySchema = (t: Translate) =>
  z.object({
    regionId: z.string().check(z.regex(REGION_ID_PATTERN, t('api.regionFormat'))),
    instanceId: z.string().check(z.regex(INSTANCE_ID_PATTERN, t('api.instanceFormat'))),
    search: z
      .string()
      .check(
        z.trim(),
        z.maxLength(64, t('api.searchTooLong')),
        z.regex(/^[^\p{Cc}]*$/u, t('api.searchCharacters')),
      ),
    page: z.string().check(z.regex(/^[1-9]\d{0,4}$/, t('api.pageFormat'))),
    /** `true`: every matching account at once (the picker's "select all"), read by the server page by page. */
    all: z.optional(z.literal('true', t('api.allFormat'))),
  });

/** `signal`: the request's; when the browser goes away, no further page is asked for. */
export async function listClientUsers(
  query: z.output<ReturnType<typeof createClientUsersQuerySchema>>,
  signal?: AbortSignal,
): Promise<ClientUserPageView> {
  const { client, worker } = await getRuntime();
  if (query.all) {
    const listing = await listAllClientUsers(
      client,
      { regionId: query.regionId, smartAGId: query.instanceId, userName: query.search || undefined },
      // Every page is a call on the account's budget, shared with the roam worker.
      { beforePage: () => worker.limiter.acquire(), signal },
    );
    return {
      users: listing.users.map(clientUserView),
      totalCount: listing.users.length,
      pageNumber: 1,
      pageSize: listing.users.length,
    };
  }
  const page = await client.describeSmartAccessGatewayClientUsers({
    regionId: query.regionId,
    smartAGId: query.instanceId,
    userName: query.search || undefined,
    pageNumber: Number(query.page),
    pageSize: CLIENT_USERS_PAGE_SIZE,
  });
  return {
    users: page.users.map(clientUserView),
    totalCount: page.totalCount,
    pageNumber: page.pageNumber,
    pageSize: page.pageSize,
  };
}

function clientUserView(user: SagClientUser): ClientUserView {
  return {
    userName: user.userName,
    userMail: user.userMail ?? '',
    clientIp: user.clientIp ?? '',
    state: user.state === 1 ? 'disabled' : 'enabled',
  };
}
