// The emulator's HTTP front: parse → route (Version, Action) → authenticate → flow control → faults →
// action → answer in JSON or XML. One instance per startEmulator() call; nothing global.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ACTIONS, API_VERSION, isAction, MUTATING_ACTIONS, readRoamParams, runAction } from './actions';
import {
  Authenticator,
  detectScheme,
  type EmulatorAccessKey,
  type SignatureMismatch,
  type SignedCall,
} from './auth';
import { DEMO_ACCESS_KEY } from './demo-access-key';
import { type ApiError, ApiFailure, gatewayErrors } from './errors';
import {
  createPrng,
  DEFAULT_KNOBS,
  drawFault,
  type EmulatorKnobs,
  type FaultDraw,
  RateLimiter,
  validateKnobs,
} from './knobs';
import type { AccountView, EmulatorSeed, InstanceView, RegionView } from './model';
import { openSavedState, type SavedState } from './persistence';
import {
  type Body,
  CONTENT_TYPES,
  newRequestId,
  type ResponseFormat,
  renderError,
  renderMalformed,
  renderSuccess,
} from './render';
import { DEFAULT_SEED } from './seed';
import type { ParamPair } from './signature';
import { EmulatorStore, type RequestLogEntry, type RoamCount } from './state';

// Re-exported: the emulator's public surface (index.ts) and its tests take the demo pair from here.
export { DEMO_ACCESS_KEY };

export interface EmulatorLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface EmulatorOptions {
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to [DEMO_ACCESS_KEY]. */
  accessKeys?: readonly EmulatorAccessKey[];
  /** Defaults to the bundled seed (lib/emulator/seed.ts). */
  seed?: EmulatorSeed;
  knobs?: Partial<EmulatorKnobs>;
  logger?: EmulatorLogger;
  /** Clock for timestamps, nonces and rate limits; defaults to Date.now. */
  now?: () => number;
  /**
   * Keep the accounts in this directory across restarts (persistence.ts; the app's built-in emulator uses
   * DATA_DIR/emulator). Without it they live in memory and every start begins from the seed.
   */
  stateDir?: string;
  /** Where the saved state's news go (restored, set aside, a failed write); defaults to `logger`, else console. */
  stateLogger?: EmulatorLogger;
}

export interface EmulatorStateApi {
  regions(): RegionView[];
  instances(regionId?: string): InstanceView[];
  instance(smartAgId: string): InstanceView | undefined;
  accounts(smartAgId: string): AccountView[];
  /** RoamClientUser requests and applications for one (target instance, username). */
  roamCount(targetSmartAgId: string, userName: string): RoamCount;
  /**
   * A client connected with this account this month: DeleteSmartAccessGatewayClientUser now answers
   * `ClientUser.UserInUsing` for it (until reset()). False when the instance has no such account.
   */
  markUsedThisMonth(smartAgId: string, userName: string): boolean;
  requestLog(): RequestLogEntry[];
  /**
   * Back to the seed: accounts, counters, request log, used nonces, rate buckets, fault sequence. Knobs stay.
   * With a state directory the accounts' reset is saved too.
   */
  reset(): void;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:9000 */
  url: string;
  /** host:port, what the official SDK's `endpoint` wants. */
  endpoint: string;
  host: string;
  port: number;
  /** The directory that keeps the accounts across restarts; undefined when they live in memory only. */
  stateDir: string | undefined;
  state: EmulatorStateApi;
  knobs(): EmulatorKnobs;
  setKnobs(partial: Partial<EmulatorKnobs>): void;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_BODY_BYTES = 1024 * 1024;
const THROTTLE_FAULT_RETRY_AFTER_MS = 1000;
const SECRET_PARAMS = new Set(['Signature', 'SecurityToken']);

function decodeComponent(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `a=1&b=2` → pairs, decoding `+` as space like a form. */
export function parsePairs(text: string): ParamPair[] {
  if (text === '') return [];
  return text
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0
        ? ([decodeComponent(part), ''] as const)
        : ([decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))] as const);
    });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function chooseFormat(requested: string | undefined, scheme: 'v2' | 'v3' | null): ResponseFormat {
  const upper = requested?.toUpperCase();
  if (upper === 'XML' || upper === 'JSON') return upper;
  // Without Format the RPC gateway answers XML to signature-1.0 callers; V3 callers get JSON.
  return scheme === 'v2' ? 'XML' : 'JSON';
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  format: ResponseFormat;
  hostId: string;
  action: string;
  log: RequestLogEntry;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`The SAG emulator listens on loopback only (127.0.0.1, ::1, localhost), not ${host}`);
  }
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const store = new EmulatorStore(options.seed ?? DEFAULT_SEED);
  // Loaded before the server listens: no request ever sees the seed of an emulator that has a saved state.
  const saved: SavedState | undefined =
    options.stateDir === undefined
      ? undefined
      : await openSavedState(options.stateDir, store, options.stateLogger ?? logger ?? console);
  const authenticator = new Authenticator(
    options.accessKeys ?? [DEMO_ACCESS_KEY],
    now,
    (mismatch: SignatureMismatch) =>
      logger?.warn(
        [
          mismatch.unsignedHeaders
            ? `[sag-emulator] IncompleteSignature (${mismatch.scheme}, ${mismatch.accessKeyId}): unsigned ${mismatch.unsignedHeaders.join(', ')}`
            : `[sag-emulator] SignatureDoesNotMatch (${mismatch.scheme}, ${mismatch.accessKeyId})`,
          `server string to sign:\n${mismatch.stringToSign}`,
          ...(mismatch.canonicalRequest ? [`server canonical request:\n${mismatch.canonicalRequest}`] : []),
        ].join('\n'),
      ),
  );
  const rateLimiter = new RateLimiter(now);
  let knobs = validateKnobs({ ...DEFAULT_KNOBS, ...options.knobs });
  let random = createPrng(knobs.faultSeed);
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  function later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
    return timer;
  }

  function finish(exchange: Exchange, status: number | null, outcome: string): void {
    exchange.log.httpStatus = status;
    exchange.log.outcome = outcome;
    store.appendLog(exchange.log);
    logger?.info(
      `[sag-emulator] ${exchange.action || '-'} ${status ?? '---'} ${outcome}${
        exchange.log.fault ? ` (fault ${exchange.log.fault} ${exchange.log.faultPhase})` : ''
      } ${now() - exchange.log.at}ms`,
    );
  }

  function send(
    exchange: Exchange,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    const { res } = exchange;
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      'content-type': CONTENT_TYPES[exchange.format],
      'x-acs-request-id': exchange.requestId,
      ...headers,
    });
    res.end(body);
  }

  function sendError(exchange: Exchange, error: ApiError): void {
    send(
      exchange,
      error.status,
      renderError(exchange.format, error, { requestId: exchange.requestId, hostId: exchange.hostId }),
      error.headers,
    );
    finish(exchange, error.status, error.code);
  }

  function sendSuccess(exchange: Exchange, body: Body): void {
    send(
      exchange,
      200,
      renderSuccess(exchange.format, exchange.action, { RequestId: exchange.requestId, ...body }),
    );
    finish(exchange, 200, 'OK');
  }

  function runFault(exchange: Exchange, fault: FaultDraw): void {
    exchange.log.fault = fault.kind;
    exchange.log.faultPhase = fault.phase;
    const { res, req } = exchange;
    switch (fault.kind) {
      case 'timeout': {
        // Hold the request: no answer until the client gives up, at most timeoutHoldMs, or close().
        const timer = later(knobs.timeoutHoldMs, () => req.socket.destroy());
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        finish(exchange, null, 'Fault.Timeout');
        return;
      }
      case 'reset':
        req.socket.destroy();
        finish(exchange, null, 'Fault.Reset');
        return;
      case 'malformed':
        send(exchange, 200, renderMalformed(exchange.format, exchange.action, exchange.requestId));
        finish(exchange, 200, 'Fault.Malformed');
        return;
      case 'status500':
        sendError(exchange, gatewayErrors.internalError().error);
        return;
      case 'status503':
        sendError(exchange, gatewayErrors.serviceUnavailable().error);
        return;
      case 'throttle': {
        const { status, code } = knobs.throttleAnswer;
        sendError(exchange, gatewayErrors.throttled(status, code, THROTTLE_FAULT_RETRY_AFTER_MS).error);
        return;
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = now();
    const requestId = newRequestId();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = parsePairs(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
    const headers = lowerCaseHeaders(req);
    const isForm = (headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded');
    const form = isForm ? parsePairs(body.toString('utf8')) : [];
    const call: SignedCall = { method: req.method ?? 'GET', path, query, form, headers, body };

    // Business parameters may come in the query or in a form body; the query wins on a clash.
    const params = new Map<string, string>([...form, ...query]);
    const usesV3 = (headers.authorization ?? '').trim() !== '';
    const action = (usesV3 ? headers['x-acs-action'] : undefined) ?? params.get('Action') ?? '';
    const version = (usesV3 ? headers['x-acs-version'] : undefined) ?? params.get('Version') ?? '';
    const scheme = detectScheme(call);
    const regionId = params.get('RegionId');
    const loggedParams: Record<string, string> = { Action: action, Version: version };
    for (const [name, value] of params) if (!SECRET_PARAMS.has(name)) loggedParams[name] = value;

    const exchange: Exchange = {
      req,
      res,
      requestId,
      format: chooseFormat(params.get('Format'), scheme),
      hostId: regionId ? `smartag.${regionId}.aliyuncs.com` : 'smartag.aliyuncs.com',
      action,
      log: {
        at: receivedAt,
        requestId,
        action: action || null,
        scheme,
        accessKeyId: usesV3 ? null : (params.get('AccessKeyId') ?? null),
        params: loggedParams,
        httpStatus: null,
        outcome: '',
        fault: null,
        faultPhase: null,
        applied: false,
      },
    };

    if (knobs.latencyMs > 0) await new Promise<void>((resolve) => later(knobs.latencyMs, resolve));
    if (closed || res.destroyed) return;

    try {
      if (saved?.failure) throw gatewayErrors.serviceUnavailable();
      if (path !== '/') throw gatewayErrors.actionNotFound();
      if (!action) throw gatewayErrors.missingParameter('Action');
      if (!version) throw gatewayErrors.missingParameter('Version');
      if (version !== API_VERSION) throw gatewayErrors.invalidVersion();
      if (!isAction(action)) throw gatewayErrors.actionNotFound();
      const verified = authenticator.verify(call);
      exchange.log.accessKeyId = verified.accessKey.accessKeyId;
      if (verified.accessKey.deniedActions?.includes(action)) throw gatewayErrors.forbiddenRam();
      if (knobs.rateLimit) {
        const waitMs = rateLimiter.take(knobs.rateLimit, verified.accessKey.accessKeyId);
        if (waitMs > 0) {
          const { status, code } = knobs.throttleAnswer;
          throw gatewayErrors.throttled(status, code, waitMs);
        }
      }
      if (action === 'RoamClientUser') {
        const roam = readRoamParams(params);
        store.countRoamRequest(roam.targetSmartAgId, roam.userName);
      }
      const fault = drawFault(knobs, action, random);
      // A throttling answer means the gateway refused the call before it reached the service, whatever the
      // phase asked for: the real API never applies a throttled call.
      if (fault && (fault.phase === 'before' || fault.kind === 'throttle')) return runFault(exchange, fault);
      let outcome: { body: Body } | { error: ApiError };
      try {
        outcome = { body: runAction(action, store, params) };
        exchange.log.applied = MUTATING_ACTIONS.has(action);
      } catch (error) {
        if (!(error instanceof ApiFailure)) throw error;
        outcome = { error: error.error };
      }
      // Every answer waits until the changes made so far are on disk, a read's too: no answer may show the
      // app a change that a crash could still take back.
      if (saved) {
        try {
          await saved.durable();
        } catch {
          req.socket.destroy();
          finish(exchange, null, 'State.NotSaved');
          return;
        }
        if (closed || res.destroyed) return;
      }
      if (fault) return runFault(exchange, fault);
      if ('error' in outcome) return sendError(exchange, outcome.error);
      return sendSuccess(exchange, outcome.body);
    } catch (error) {
      if (error instanceof ApiFailure) return sendError(exchange, error.error);
      logger?.warn(
        `[sag-emulator] unexpected failure: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return sendError(exchange, gatewayErrors.internalError().error);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger?.warn(`[sag-emulator] ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await saved?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `${urlHost}:${address.port}`;

  const state: EmulatorStateApi = {
    regions: () => store.regions(),
    instances: (regionId) => store.listInstances(regionId),
    instance: (smartAgId) => store.instance(smartAgId),
    accounts: (smartAgId) => store.accounts(smartAgId),
    roamCount: (targetSmartAgId, userName) => store.roamCount(targetSmartAgId, userName),
    markUsedThisMonth: (smartAgId, userName) => store.markUsedThisMonth(smartAgId, userName),
    requestLog: () => store.requestLog(),
    reset: () => {
      store.reset();
      authenticator.forgetNonces();
      rateLimiter.clear();
      random = createPrng(knobs.faultSeed);
    },
  };

  return {
    url: `http://${endpoint}`,
    endpoint,
    host,
    port: address.port,
    stateDir: saved?.dir,
    state,
    knobs: () => ({ ...knobs, faults: { ...knobs.faults } }),
    setKnobs(partial) {
      const next = validateKnobs({ ...knobs, ...partial });
      if (partial.faultSeed !== undefined) random = createPrng(next.faultSeed);
      if (partial.rateLimit !== undefined) rateLimiter.clear();
      knobs = next;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }).then(() => saved?.close());
    },
  };
}

export { ACTIONS, API_VERSION };
