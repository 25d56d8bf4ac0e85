import { INSTANCE_ID_PATTERN, REGION_ID_PATTERN } from './username-rules';

/**
 * The origin and target of the roam form in the page's address (`/?originRegion=cn-shanghai&originInstance=
 * sag-…&targetRegion=…&targetInstance=…`), so that a reload, a bookmark or a link from a job keeps them. No
 * directive: read by the page on the server and written by the form in the browser. A malformed value is
 * left out, never passed on.
 */

export interface RouteValues {
  originRegionId: string;
  originInstanceId: string;
  targetRegionId: string;
  targetInstanceId: string;
}

/** Each field of the route and its name in the address. */
export const ROUTE_PARAMS = {
  originRegionId: 'originRegion',
  originInstanceId: 'originInstance',
  targetRegionId: 'targetRegion',
  targetInstanceId: 'targetInstance',
} as const satisfies Record<keyof RouteValues, string>;

const FIELDS = Object.keys(ROUTE_PARAMS) as (keyof RouteValues)[];

function isValid(field: keyof RouteValues, value: string): boolean {
  return (field.endsWith('RegionId') ? REGION_ID_PATTERN : INSTANCE_ID_PATTERN).test(value);
}

/** The route the address carries: each well-formed value, '' for a missing or malformed one. */
export function routeFromSearchParams(
  query: Record<string, string | string[] | undefined> | URLSearchParams,
): RouteValues {
  const read = (name: string) => (query instanceof URLSearchParams ? query.get(name) : (query[name] ?? null));
  const route = { originRegionId: '', originInstanceId: '', targetRegionId: '', targetInstanceId: '' };
  for (const field of FIELDS) {
    const value = read(ROUTE_PARAMS[field]);
    if (typeof value === 'string' && isValid(field, value)) route[field] = value;
  }
  // An instance is only meaningful in its region.
  if (!route.originRegionId) route.originInstanceId = '';
  if (!route.targetRegionId) route.targetInstanceId = '';
  return route;
}

/**
 * `params` with the route written into it: chosen values set, empty or malformed ones removed, anything
 * else (such as `job`) kept as it was.
 */
export function withRoute(params: URLSearchParams, route: Partial<RouteValues>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const field of FIELDS) {
    const value = route[field]?.trim() ?? '';
    if (value && isValid(field, value)) next.set(ROUTE_PARAMS[field], value);
    else next.delete(ROUTE_PARAMS[field]);
  }
  return next;
}
