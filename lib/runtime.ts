import 'server-only';
import path from 'node:path';
import { ensureInitialUsers } from '@/lib/auth/bootstrap';
import { OidcSignIn } from '@/lib/auth/oidc';
import { pruneAuthRecords } from '@/lib/auth/sessions';
import { type AppConfig, describeStorage, getConfig } from '@/lib/config';
import { type Database, openDatabase } from '@/lib/db/database';
import { markInterruptedAttempts, WORK_CHANNEL } from '@/lib/db/jobs';
import type { JobMode } from '@/lib/db/schema';
import { type Emulator, startEmulator } from '@/lib/emulator';
import { instrumentSagClient } from '@/lib/observability/instrumented-client';
import { watchJobEnds } from '@/lib/observability/job-log';
import { getLogger, workerLogger } from '@/lib/observability/logger';
import { getMetrics } from '@/lib/observability/metrics';
import { rateBudgetKey, SharedRateBudget } from '@/lib/roam/shared-rate-budget';
import { RoamWorker } from '@/lib/roam/worker';
import { createSagClient, type SagClient } from '@/lib/sag/client';
import {
  type CredentialSource,
  resolveDefaultCredentialChain,
  staticCredentials,
} from '@/lib/sag/credentials';

/**
 * The server process's long-lived parts, created once: the configuration, the database, the SAG client
 * (Alibaba Cloud, or the built-in emulator when no credentials are found), and the roam worker.
 *
 * Kept on globalThis: Next.js may load this module in several bundles (instrumentation, route handlers,
 * server actions) and reloads it in development; there must still be one database and one worker.
 */

export interface Runtime {
  config: AppConfig;
  /** Which endpoint serves this process; recorded on every job it creates. */
  mode: JobMode;
  /** For the start-up log; never contains a secret. */
  endpointLabel: string;
  /** The same, as data, for the page header in the reader's language. */
  endpoint: { kind: 'emulator'; url: string } | { kind: 'cloud'; endpoint: string; provider: string };
  client: SagClient;
  db: Database;
  worker: RoamWorker;
  emulator: Emulator | undefined;
  /** Sign-in through the identity provider, when OIDC_ISSUER is set. */
  oidc: OidcSignIn | undefined;
  /** Stops the worker (waiting at most `drainMs` for calls in flight, when given), then closes everything. */
  close(options?: { drainMs?: number }): Promise<void>;
}

const RUNTIME_KEY = Symbol.for('sag-roam.runtime');
type RuntimeHolder = typeof globalThis & { [RUNTIME_KEY]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as RuntimeHolder;
  holder[RUNTIME_KEY] ??= createRuntime(getConfig()).catch((error: unknown) => {
    delete holder[RUNTIME_KEY];
    throw error;
  });
  return holder[RUNTIME_KEY];
}

interface SagTarget {
  mode: JobMode;
  endpointInfo: Runtime['endpoint'];
  credentials: CredentialSource;
  endpoint: string | undefined;
  endpointLabel: string;
  emulator: Emulator | undefined;
}

async function resolveSagTarget(config: AppConfig): Promise<SagTarget> {
  if (config.sag.mode !== 'emulator') {
    const chain = await resolveDefaultCredentialChain({ allowEcsMetadata: config.sag.allowEcsMetadata });
    if (chain) {
      return {
        mode: 'alibaba-cloud',
        credentials: chain,
        endpoint: config.sag.endpoint,
        endpointLabel: `Alibaba Cloud via ${config.sag.endpoint ?? 'smartag.<region>.aliyuncs.com'} (credentials: ${chain.providerName})`,
        endpointInfo: {
          kind: 'cloud',
          endpoint: config.sag.endpoint ?? 'smartag.<region>.aliyuncs.com',
          provider: chain.providerName,
        },
        emulator: undefined,
      };
    }
    if (config.sag.mode === 'cloud') {
      throw new Error(
        'SAG_MODE is cloud, but the Alibaba Cloud credential chain found no credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or another source of the chain), or use SAG_MODE=auto to fall back to the emulator.',
      );
    }
  }
  const logger = getLogger();
  const emulator = await startEmulator({
    port: 0,
    accessKeys: [
      { accessKeyId: config.emulator.accessKeyId, accessKeySecret: config.emulator.accessKeySecret },
    ],
    // Beside the embedded database, so that a restart keeps the accounts the history says were roamed, and
    // deleting DATA_DIR resets both together. With DATABASE_URL each process has an emulator of its own, in
    // memory (processes sharing one database cannot share one directory of state).
    ...(config.storage.kind === 'embedded'
      ? {
          stateDir: path.join(config.storage.dataDir, EMULATOR_STATE_DIRECTORY),
          stateLogger: {
            info: (message: string) => logger.info(message),
            warn: (message: string) => logger.warn(message),
          },
        }
      : {}),
  });
  return {
    mode: 'emulator',
    credentials: staticCredentials({
      accessKeyId: config.emulator.accessKeyId,
      accessKeySecret: config.emulator.accessKeySecret,
    }),
    endpoint: emulator.url,
    endpointLabel: `Built-in SAG emulator at ${emulator.url}`,
    endpointInfo: { kind: 'emulator', url: emulator.url },
    emulator,
  };
}

/** The built-in emulator's saved accounts, in DATA_DIR (lib/emulator/persistence.ts). */
export const EMULATOR_STATE_DIRECTORY = 'emulator';

/** How long a claim holds an item without renewal. */
const LEASE_MS = 15_000;

export async function createRuntime(config: AppConfig): Promise<Runtime> {
  const logger = getLogger();
  const metrics = getMetrics();
  const target = await resolveSagTarget(config);
  // Every call of the process (worker, plans, pickers) is counted and timed for /api/metrics.
  const sagClient = createSagClient({
    credentials: target.credentials,
    signatureVersion: config.sag.signatureVersion,
    endpoint: target.endpoint,
    timeoutMs: config.sag.timeoutMs,
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 },
  });
  const client = instrumentSagClient(sagClient, metrics);
  const opened = await openDatabase(
    config.storage.kind === 'postgres'
      ? { databaseUrl: config.storage.databaseUrl }
      : { dataDir: config.storage.dataDir },
  );
  // Calls that were in flight when the last process stopped: their items are checked on the target before
  // anything is resent. With a shared PostgreSQL only expired leases are touched: another process may be
  // working on the rest.
  const bootstrap = await ensureInitialUsers(opened.db, {
    initialAdmin: config.initialAdmin,
    demo: target.mode === 'emulator',
  });
  await pruneAuthRecords(opened.db);
  // Expired sessions and old sign-in failures go away hourly; the timer never keeps the process alive.
  const pruning = setInterval(() => {
    pruneAuthRecords(opened.db).catch((error: unknown) => console.error('pruning sessions failed:', error));
  }, 3_600_000);
  pruning.unref();
  const interrupted = await markInterruptedAttempts(
    opened.db,
    opened.driver === 'postgres' ? { olderThan: new Date() } : {},
  );
  const worker = new RoamWorker({
    db: opened.db,
    api: client,
    concurrency: config.roam.concurrency,
    ratePerSecond: config.roam.ratePerSecond,
    // Several processes on one PostgreSQL share the AccessKey's budget; the embedded database has one process.
    limiter:
      opened.driver === 'postgres'
        ? new SharedRateBudget(opened.db, {
            key: rateBudgetKey((await target.credentials()).accessKeyId),
            ratePerSecond: config.roam.ratePerSecond,
            onError: (error) =>
              console.error('sag-roam: the shared rate budget could not be updated:', error),
          })
        : undefined,
    // Short, and renewed every third of it while work on an item runs: a dead process's items are taken over
    // within about 20 s (and checked on the target before anything is resent).
    leaseMs: LEASE_MS,
    // Woken by the database when work appears (below); the poll is only a fallback while idle.
    idlePollMs: 5_000,
    logger: workerLogger(logger),
  });
  worker.start();
  const unlisten = await opened.listen(WORK_CHANNEL, () => worker.kick());
  // The scrape-time gauges read this database and worker; the worker's events feed the log and a counter.
  const detachMetrics = metrics.attach({ db: opened.db, worker });
  const unwatchJobs = watchJobEnds(worker, opened.db, logger);
  const countTakeovers = (count: number) => metrics.leaseTakeovers.inc(count);
  worker.events.on('lease-takeover', countTakeovers);

  logger.info(
    `sag-roam: ${target.mode === 'emulator' ? 'EMULATOR mode (no Alibaba Cloud calls)' : 'Alibaba Cloud mode'}; endpoint: ${
      target.endpointLabel
    }; signature ${config.sag.signatureVersion}; storage: ${describeStorage(config)}; worker: ${
      config.roam.concurrency
    } concurrent, ${config.roam.ratePerSecond}/s${
      interrupted.items > 0 ? `; resuming ${interrupted.items} interrupted item(s)` : ''
    }`,
  );
  // The provider is not asked anything now: one that is down must not stop the app (local accounts still work).
  if (config.oidc)
    logger.info(`sag-roam: single sign-on with ${config.oidc.issuer} (${config.oidc.displayName})`);
  if (bootstrap.created === 'initial-admin')
    logger.info(`sag-roam: created the first admin ${bootstrap.email} (ADMIN_EMAIL)`);
  if (bootstrap.created === 'demo-admin')
    logger.info(`sag-roam: created the demo admin ${bootstrap.email} (emulator mode only)`);
  if (bootstrap.created === null && bootstrap.reason === 'no-users') {
    logger.warn(
      'sag-roam: no user can sign in yet. Create the first admin with `npm run user:create -- --email you@example.com --role admin`, or set ADMIN_EMAIL and ADMIN_PASSWORD and start again.',
    );
  }

  return {
    config,
    mode: target.mode,
    endpointLabel: target.endpointLabel,
    endpoint: target.endpointInfo,
    client,
    db: opened.db,
    worker,
    oidc: config.oidc ? new OidcSignIn(config.oidc, opened.db) : undefined,
    emulator: target.emulator,
    async close(options: { drainMs?: number } = {}) {
      clearInterval(pruning);
      await unlisten();
      detachMetrics();
      unwatchJobs();
      worker.events.off('lease-takeover', countTakeovers);
      // Calls in flight are recorded before the database closes; bounded when draining for a shutdown.
      const settled = await worker.stop(options.drainMs);
      if (!settled) {
        console.warn(
          `sag-roam: calls still unanswered after ${options.drainMs} ms; the next start checks their items on the target before anything is resent`,
        );
      }
      client.close();
      await opened.close();
      await target.emulator?.close();
    },
  };
}
