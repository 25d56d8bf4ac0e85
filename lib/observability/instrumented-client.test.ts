import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSagClient, isSagError, type SagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';
import { always, apiError, HOSTILE_ROUTE, type HostileSag, startHostileSag } from '@/lib/testing/hostile-sag';
import { parsePrometheusText, sampleValue } from '@/lib/testing/prometheus-text';
import { instrumentSagClient } from './instrumented-client';
import { createMetrics, type SagRoamMetrics } from './metrics';

// The client as the runtime wraps it, against an endpoint that answers what each test says: every call counted
// by action, outcome and code, codes outside the catalogue as `other`, throttling answers counted, and the
// answer or error passed on untouched.

let sag: HostileSag;
let metrics: SagRoamMetrics;
let client: SagClient;

const roam = {
  regionId: HOSTILE_ROUTE.targetRegionId,
  originRegionId: HOSTILE_ROUTE.originRegionId,
  originSmartAGId: HOSTILE_ROUTE.originInstanceId,
  targetSmartAGId: HOSTILE_ROUTE.targetInstanceId,
  userName: 'metrics.user01',
};

beforeAll(async () => {
  sag = await startHostileSag();
});

afterAll(async () => {
  await sag?.close();
});

beforeEach(() => {
  metrics = createMetrics();
  client?.close();
  client = instrumentSagClient(
    createSagClient({
      credentials: staticCredentials({
        accessKeyId: 'LTAI-metrics-test',
        accessKeySecret: 'metrics-test-secret',
      }),
      signatureVersion: 'v3',
      endpoint: sag.url,
      timeoutMs: 2_000,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    }),
    metrics,
  );
});

async function scrape() {
  return parsePrometheusText(await metrics.registry.metrics());
}

async function failureOf(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSagError(error)) throw new Error(`expected a SagError, got ${String(error)}`);
  return error;
}

describe('instrumentSagClient', () => {
  it('counts an accepted roam as OK and times it, returning its RequestId', async () => {
    sag.reset();
    const { requestId } = await client.roamClientUser(roam);
    expect(sag.issuedRequestIds.has(requestId)).toBe(true);
    const families = await scrape();
    expect(
      sampleValue(families, 'sag_roam_api_calls_total', {
        action: 'RoamClientUser',
        outcome: 'ok',
        code: 'OK',
      }),
    ).toBe(1);
    expect(sampleValue(families, 'sag_roam_api_call_seconds_count', { action: 'RoamClientUser' })).toBe(1);
    expect(sampleValue(families, 'sag_roam_throttled_total')).toBe(0);
  });

  it('counts a catalogued error by its code and outcome, and passes the error on unchanged', async () => {
    sag.reset({ RoamClientUser: always(apiError('ClientUser.UserOverLimit')) });
    const error = await failureOf(client.roamClientUser(roam));
    expect(error.code).toBe('ClientUser.UserOverLimit');
    expect(
      sampleValue(await scrape(), 'sag_roam_api_calls_total', {
        action: 'RoamClientUser',
        outcome: 'not_applied',
        code: 'ClientUser.UserOverLimit',
      }),
    ).toBe(1);
  });

  it('counts codes outside the catalogue as other, so that the series stay bounded', async () => {
    sag.reset({ RoamClientUser: always(apiError('Some.BrandNewCode')) });
    await failureOf(client.roamClientUser(roam));
    sag.reset({ RoamClientUser: always(apiError('InvalidWhatever.Made.Up')) });
    await failureOf(client.roamClientUser(roam));
    const families = await scrape();
    expect(
      sampleValue(families, 'sag_roam_api_calls_total', { action: 'RoamClientUser', code: 'other' }),
    ).toBe(2);
    const codes = families.get('sag_roam_api_calls_total')?.samples.map((sample) => sample.labels.code);
    expect(codes).toEqual(['other']);
  });

  it('counts throttling answers, each under its own code', async () => {
    sag.reset({ RoamClientUser: always(apiError('Throttling.User')) });
    await failureOf(client.roamClientUser(roam));
    sag.reset({ DescribeSmartAccessGatewayClientUsers: always(apiError('Throttling.Api')) });
    await failureOf(
      client.describeSmartAccessGatewayClientUsers({
        regionId: HOSTILE_ROUTE.targetRegionId,
        smartAGId: HOSTILE_ROUTE.targetInstanceId,
      }),
    );
    const families = await scrape();
    expect(sampleValue(families, 'sag_roam_throttled_total')).toBe(2);
    expect(
      sampleValue(families, 'sag_roam_api_calls_total', {
        action: 'DescribeSmartAccessGatewayClientUsers',
        code: 'Throttling.Api',
      }),
    ).toBe(1);
  });

  it('counts a lost answer as unknown: it may have been applied', async () => {
    sag.reset({ RoamClientUser: always({ status: 503, body: 'upstream went away' }) });
    const error = await failureOf(client.roamClientUser(roam));
    expect(error.outcome).toBe('unknown');
    expect(
      sampleValue(await scrape(), 'sag_roam_api_calls_total', {
        action: 'RoamClientUser',
        outcome: 'unknown',
        code: error.code,
      }),
    ).toBe(1);
  });

  it('counts the Describe calls by their API action, a whole listing apart from single pages', async () => {
    sag.reset();
    await client.describeRegions();
    await client.describeSmartAccessGatewaysPage({ regionId: HOSTILE_ROUTE.targetRegionId, pageNumber: 1 });
    await client.describeSmartAccessGateways({ regionId: HOSTILE_ROUTE.targetRegionId });
    const families = await scrape();
    for (const action of [
      'DescribeRegions',
      'DescribeSmartAccessGateways',
      'DescribeSmartAccessGatewaysAllPages',
    ]) {
      expect(sampleValue(families, 'sag_roam_api_calls_total', { action, code: 'OK' })).toBe(1);
    }
  });
});
