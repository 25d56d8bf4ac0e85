import 'server-only';

/**
 * Which URL serves the smartag API of a region.
 *
 * In order: a fixed override (config `SAG_ENDPOINT`, e.g. the emulator at http://127.0.0.1:9000) used
 * for every region; else the `RegionEndpoint` DescribeRegions returned for that region; else the
 * documented pattern `https://smartag.<region>.aliyuncs.com`.
 *
 * A learned endpoint is where signed requests (and STS tokens) go next, and it comes from an answer: only an
 * HTTPS host under `aliyuncs.com`, on the default port, is taken. Anything else (a bare IP, another domain,
 * `http:`) is dropped without a word and the region keeps the documented pattern. Only the operator's own
 * `SAG_ENDPOINT` may point elsewhere.
 */

export const DEFAULT_DISCOVERY_REGION_ID = 'cn-shanghai';

/** Region IDs look like `cn-shanghai`, `ap-southeast-1`, `cn-shanghai-finance-1`. */
const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** Alibaba Cloud's API domain: a learned endpoint must be a host name under it. */
const ALIBABA_CLOUD_API_HOST = /\.aliyuncs\.com$/;

/** `https://<host>` for a RegionEndpoint (a host name or an https URL without a port), or undefined. */
function learnedEndpointUrl(regionEndpoint: string): string | undefined {
  const candidate = regionEndpoint.trim().toLowerCase();
  let host: string;
  if (HOST_NAME.test(candidate)) {
    host = candidate;
  } else {
    let url: string;
    try {
      url = normaliseEndpointUrl(candidate);
    } catch {
      return undefined;
    }
    if (!url.startsWith('https://')) return undefined;
    host = url.slice('https://'.length);
    // A port, or a host that is not a plain name (an IPv6 literal), is not how Alibaba Cloud names endpoints.
    if (!HOST_NAME.test(host)) return undefined;
  }
  return ALIBABA_CLOUD_API_HOST.test(host) ? `https://${host}` : undefined;
}

export function isValidRegionId(regionId: string): boolean {
  return REGION_ID.test(regionId);
}

export interface EndpointResolver {
  /** Base URL (scheme, host and port, no trailing slash) for calls about `regionId`. Throws RangeError for a malformed region ID. */
  resolve(regionId: string): string;
  /** Remembers the endpoints DescribeRegions returned. Malformed entries are ignored. */
  learn(regions: readonly { regionId: string; regionEndpoint?: string | undefined }[]): void;
  /** Region whose endpoint answers DescribeRegions. */
  readonly discoveryRegionId: string;
  /** True when every region goes to the same fixed URL. */
  readonly overridden: boolean;
}

/** Turns `SAG_ENDPOINT`-style input into `scheme://host[:port]`, refusing paths, queries and user info. */
export function normaliseEndpointUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError('The endpoint must be http or https.');
  if (url.username || url.password)
    throw new RangeError('The endpoint must not contain a user name or password.');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new RangeError('The endpoint must be a scheme, a host and an optional port, with no path.');
  }
  return `${url.protocol}//${url.host}`;
}

export function createEndpointResolver(
  options: { override?: string | undefined; discoveryRegionId?: string } = {},
): EndpointResolver {
  const override = options.override ? normaliseEndpointUrl(options.override) : undefined;
  const discoveryRegionId = options.discoveryRegionId ?? DEFAULT_DISCOVERY_REGION_ID;
  if (!isValidRegionId(discoveryRegionId)) throw new RangeError('The discovery region ID is not valid.');
  const learned = new Map<string, string>();

  return {
    discoveryRegionId,
    overridden: override !== undefined,
    resolve(regionId) {
      // Validated even with an override: the region ID is also a signed parameter.
      if (!isValidRegionId(regionId)) throw new RangeError(`"${regionId.slice(0, 64)}" is not a region ID.`);
      if (override) return override;
      return learned.get(regionId) ?? `https://smartag.${regionId}.aliyuncs.com`;
    },
    learn(regions) {
      for (const { regionId, regionEndpoint } of regions) {
        if (!regionEndpoint || !isValidRegionId(regionId)) continue;
        const url = learnedEndpointUrl(regionEndpoint);
        if (url) learned.set(regionId, url);
      }
    },
  };
}
