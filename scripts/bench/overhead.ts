// Per-call overhead: one RoamClientUser through sag-roam's client and through the official SDK, against the
// emulator with no added latency, calls alternating between the two so that drift in the machine's load
// hits both alike; and the V3 (and V2) signing alone.
import { randomBytes } from 'node:crypto';
import { SMARTAG_API_VERSION } from '@/lib/sag/operations';
import { encodeParameters, signV2 } from '@/lib/sag/signature-v2';
import { signV3 } from '@/lib/sag/signature-v3';
import { officialClient } from '@/lib/testing/official-sdk';
import { appClient, officialRoam, roamInput } from './clients';
import { Rows } from './report';
import { BENCH_ORIGIN, BENCH_TARGET, benchUsernames, startBenchEmulator } from './seed';
import { mean, percentile, round } from './stats';

const WARMUP_CALLS = 100;
const MEASURED_CALLS = 1_000;
const SIGN_WARMUP = 5_000;
const SIGN_SAMPLES = 20_000;

function ms(value: number): string {
  return `${round(value, 2).toFixed(2)} ms`;
}

function us(value: number): string {
  return `${round(value * 1000, 1).toFixed(1)} µs`;
}

function summary(samples: readonly number[], format: (value: number) => string): string {
  return `p50 ${format(percentile(samples, 50))}, p99 ${format(percentile(samples, 99))} (mean ${format(mean(samples))}, n=${samples.length})`;
}

async function callTimings() {
  const { emulator, close } = await startBenchEmulator(400);
  const ours = appClient(emulator);
  const official = officialClient(emulator);
  try {
    const pool = benchUsernames(emulator, 400);
    let cursor = 0;
    // Every call roams a username not on the target yet (the success path); the pool is put back between
    // calls, outside the timed part, when it runs out.
    const nextUsername = () => {
      if (cursor >= pool.length) {
        emulator.state.reset();
        cursor = 0;
      }
      const username = pool[cursor] ?? '';
      cursor += 1;
      return username;
    };
    const oursSamples: number[] = [];
    const officialSamples: number[] = [];
    for (let index = 0; index < WARMUP_CALLS + MEASURED_CALLS; index += 1) {
      const measured = index >= WARMUP_CALLS;
      // Alternate which client goes first, so neither always follows the other's garbage.
      const order = index % 2 === 0 ? (['ours', 'official'] as const) : (['official', 'ours'] as const);
      for (const which of order) {
        const username = nextUsername();
        const started = performance.now();
        if (which === 'ours') await ours.roamClientUser(roamInput(username));
        else await officialRoam(official, username);
        const elapsed = performance.now() - started;
        if (measured) (which === 'ours' ? oursSamples : officialSamples).push(elapsed);
      }
    }
    return { oursSamples, officialSamples, host: emulator.endpoint };
  } finally {
    ours.close();
    await close();
  }
}

function signingTimings() {
  const input = roamInput('bench.user0001');
  const query = {
    RegionId: input.regionId,
    OriginRegionId: input.originRegionId,
    OriginSmartAGId: input.originSmartAGId,
    TargetSmartAGId: input.targetSmartAGId,
    UserName: input.userName,
  };
  const credentials = { accessKeyId: 'LTAI5tSagRoamBenchKey01', accessKeySecret: 'bench-secret-not-used' };
  const v3: number[] = [];
  const v2: number[] = [];
  let sink = 0;
  for (let index = 0; index < SIGN_WARMUP + SIGN_SAMPLES; index += 1) {
    // The date and nonce are made outside the timed part: the signature alone is measured.
    const date = new Date();
    const nonce = randomBytes(16).toString('hex');
    let started = performance.now();
    const signed = signV3(
      {
        method: 'POST',
        host: '127.0.0.1:9000',
        pathname: '/',
        query,
        action: 'RoamClientUser',
        version: SMARTAG_API_VERSION,
        body: '',
        headers: { accept: 'application/json', 'user-agent': 'sag-roam-bench' },
        date,
        nonce,
      },
      credentials,
    );
    let elapsed = performance.now() - started;
    sink += signed.headers.authorization?.length ?? 0;
    if (index >= SIGN_WARMUP) v3.push(elapsed);

    started = performance.now();
    const signedV2 = signV2(
      {
        method: 'POST',
        action: 'RoamClientUser',
        version: SMARTAG_API_VERSION,
        format: 'JSON',
        parameters: query,
        date,
        nonce,
      },
      credentials,
    );
    const body = encodeParameters(signedV2.parameters);
    elapsed = performance.now() - started;
    sink += body.length;
    if (index >= SIGN_WARMUP) v2.push(elapsed);
  }
  if (sink === 0) throw new Error('signing produced nothing');
  return { v3, v2 };
}

export async function benchOverhead() {
  const rows = new Rows('overhead');
  console.log(
    `bench: overhead: ${MEASURED_CALLS} RoamClientUser calls per client (after ${WARMUP_CALLS} warm-up), alternating ...`,
  );
  const { oursSamples, officialSamples } = await callTimings();
  rows.info(
    'setting',
    `emulator on 127.0.0.1 in this process, no added latency, ${BENCH_ORIGIN.name} → ${BENCH_TARGET.name}`,
    {
      note: 'Each figure is a whole round trip: signing, HTTP over loopback, the emulator verifying the signature and applying the roam, parsing. The emulator part is the same for both clients, so the difference is the client.',
    },
  );
  rows.info('sag-roam client (V3): RoamClientUser', summary(oursSamples, ms), {
    measured: percentile(oursSamples, 50),
    unit: 'ms p50',
  });
  rows.info('official SDK (@alicloud/openapi-core): RoamClientUser', summary(officialSamples, ms), {
    measured: percentile(officialSamples, 50),
    unit: 'ms p50',
  });
  rows.info(
    'sag-roam minus SDK',
    `p50 ${ms(percentile(oursSamples, 50) - percentile(officialSamples, 50))}, p99 ${ms(
      percentile(oursSamples, 99) - percentile(officialSamples, 99),
    )}`,
  );
  console.log(`bench: overhead: signing ${SIGN_SAMPLES} times ...`);
  const { v3, v2 } = signingTimings();
  rows.info('signing alone, V3 (ACS3-HMAC-SHA256)', summary(v3, us), {
    measured: percentile(v3, 50) * 1000,
    unit: 'µs p50',
    note: 'signV3 of a RoamClientUser request (canonical request, SHA-256, HMAC), date and nonce made outside the timing.',
  });
  rows.info('signing alone, V2 (HMAC-SHA1) with form body', summary(v2, us), {
    measured: percentile(v2, 50) * 1000,
    unit: 'µs p50',
  });
  return rows.rows;
}
