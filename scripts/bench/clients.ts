// The two clients the bench compares: sag-roam's own (configured as lib/runtime.ts configures it with the
// default settings) and the official Alibaba Cloud SDK's generic `callApi`, called the way the generated
// smartag SDK calls RoamClientUser (RPC, POST /, parameters in the query, JSON answer).
import type OpenApi from '@alicloud/openapi-core';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { DEMO_ACCESS_KEY, type Emulator } from '@/lib/emulator';
import { createSagClient, type RoamClientUserInput, type SagClient } from '@/lib/sag/client';
import { staticCredentials } from '@/lib/sag/credentials';
import { SMARTAG_API_VERSION } from '@/lib/sag/operations';
import { type OfficialRuntimeOptions, rpcAction } from '@/lib/testing/official-sdk';
import { BENCH_ORIGIN, BENCH_TARGET } from './seed';

/** The app's client with the app's defaults: V3 signing, SAG_TIMEOUT_MS 10 s, the runtime's retry policy. */
export function appClient(emulator: Emulator): SagClient {
  return createSagClient({
    credentials: staticCredentials(DEMO_ACCESS_KEY),
    signatureVersion: 'v3',
    endpoint: emulator.url,
    timeoutMs: 10_000,
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 },
  });
}

export function roamInput(userName: string): RoamClientUserInput {
  return {
    regionId: BENCH_TARGET.regionId,
    originRegionId: BENCH_ORIGIN.regionId,
    originSmartAGId: BENCH_ORIGIN.instanceId,
    targetSmartAGId: BENCH_TARGET.instanceId,
    userName,
  };
}

const roamAction = rpcAction('RoamClientUser', { version: SMARTAG_API_VERSION });

/**
 * One RoamClientUser through the official SDK (a client from lib/testing/official-sdk), with its default
 * runtime options (no automatic retry).
 */
export async function officialRoam(client: OpenApi, userName: string): Promise<void> {
  const input = roamInput(userName);
  const request = new $OpenApiUtil.OpenApiRequest({
    query: {
      RegionId: input.regionId,
      OriginRegionId: input.originRegionId,
      OriginSmartAGId: input.originSmartAGId,
      TargetSmartAGId: input.targetSmartAGId,
      UserName: input.userName,
    },
  });
  // The generated SDK passes `new RuntimeOptions({})`: the SDK's defaults.
  await client.callApi(roamAction, request, {} as OfficialRuntimeOptions);
}
