// A hostile or broken smartag endpoint for tests: an HTTP server on 127.0.0.1 that answers the four operations
// sag-roam calls as the test's scenario says, and with valid answers otherwise. It keeps just enough state for
// the normal answers to be true (which accounts each target instance holds), counts every request, and
// remembers every RequestId it issued, so a test can tell a recorded RequestId from a made-up one.
//
// Signatures are not checked: the client's signing is tested against the emulator and the official SDK; here
// only what comes back matters. Not used by the application.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { type RecordedRequest, rpcParameters, startLocalServer } from './local-server';

export const HOSTILE_SAG_ACTIONS = [
  'RoamClientUser',
  'DescribeRegions',
  'DescribeSmartAccessGateways',
  'DescribeSmartAccessGatewayClientUsers',
] as const;
export type HostileSagAction = (typeof HOSTILE_SAG_ACTIONS)[number];

/** Origin and target of the jobs a test sends to the hostile endpoint. */
export const HOSTILE_ROUTE = {
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-hostile0origin',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-hostile0target',
} as const;

export interface HostileRequest {
  action: string;
  params: Record<string, string>;
  /** 1 for the first request of this action since the last reset, 2 for the next... */
  index: number;
}

/** An answer sent whole. */
export interface FixedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** An answer written by the scenario itself (a body that trickles in, or never ends). */
export interface StreamedAnswer {
  stream: (response: http.ServerResponse) => void;
}

export type HostileAnswer = FixedAnswer | StreamedAnswer;

export interface ScenarioContext {
  /**
   * The valid answer, with its effects: for RoamClientUser, the account is now on the target (or the answer is
   * ClientUser.UserExist). Call it to apply a roam whose answer then goes wrong.
   */
  normal(): FixedAnswer;
}

/** How to answer one request; the normal answer for actions a scenario leaves out. */
export type Responder = (request: HostileRequest, context: ScenarioContext) => HostileAnswer;
export type Scenario = Partial<Record<HostileSagAction, Responder>>;

export interface HostileSag {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  url: string;
  /** Every request since the last reset, in order of arrival. */
  readonly requests: readonly HostileRequest[];
  count(action?: HostileSagAction): number;
  /** Usernames on an instance (the target by default). */
  accounts(instanceId?: string): string[];
  /** Every RequestId a normal answer carried since the last reset. */
  readonly issuedRequestIds: ReadonlySet<string>;
  /** Answers as `scenario` says from now on, with no requests, accounts or RequestIds remembered. */
  reset(scenario?: Scenario): void;
  close(): Promise<void>;
}

/** Always answers `answer`. */
export function always(answer: HostileAnswer): Responder {
  return () => answer;
}

/** Applies the roam (the normal answer's effect), then answers `answer` instead of the normal answer. */
export function applied(answer: HostileAnswer): Responder {
  return (_request, context) => {
    context.normal();
    return answer;
  };
}

/** Answers the first request of the action as `first` says, and the later ones normally. */
export function firstThenNormal(first: HostileAnswer | Responder): Responder {
  return (request, context) => {
    if (request.index > 1) return context.normal();
    return typeof first === 'function' ? first(request, context) : first;
  };
}

export function json(body: unknown, options: { status?: number; headers?: Record<string, string> } = {}) {
  return {
    status: options.status ?? 200,
    headers: { 'content-type': 'application/json;charset=utf-8', ...options.headers },
    body: JSON.stringify(body),
  } satisfies FixedAnswer;
}

export function xml(body: string, options: { status?: number; headers?: Record<string, string> } = {}) {
  return {
    status: options.status ?? 200,
    headers: { 'content-type': 'text/xml;charset=utf-8', ...options.headers },
    body,
  } satisfies FixedAnswer;
}

/** An Alibaba Cloud error answer. */
export function apiError(code: string, options: { status?: number; headers?: Record<string, string> } = {}) {
  return json(
    { RequestId: newRequestId(), Code: code, Message: `The hostile endpoint says ${code}.` },
    { status: options.status ?? 400, headers: options.headers },
  );
}

/**
 * A 200 whose JSON body starts well and then goes on with `filler` for `totalBytes` (without end when
 * Infinity), as fast as the client reads; it stops when the client closes the connection.
 */
export function hugeBody(totalBytes: number, filler = 'x'): StreamedAnswer {
  return {
    stream(response) {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.from(filler.repeat(Math.ceil((64 * 1024) / filler.length)));
      let sent = 0;
      response.write(`{"RequestId":"`);
      const pump = () => {
        while (!response.destroyed && sent < totalBytes) {
          sent += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        if (!response.destroyed) response.end('"}');
      };
      pump();
    },
  };
}

/** A 200 that sends one byte every `everyMs` and never ends, until the client closes the connection. */
export function trickle(everyMs: number): StreamedAnswer {
  return {
    stream(response) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
      const timer = setInterval(() => {
        if (!response.destroyed) response.write(' ');
      }, everyMs);
      response.on('close', () => clearInterval(timer));
    },
  };
}

/** A billion laughs: nine levels of ten entities each, in a 200 to RoamClientUser. */
export function entityBomb(): FixedAnswer {
  let entities = '<!ENTITY lol0 "lol">';
  for (let level = 1; level <= 9; level += 1)
    entities += `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`;
  return xml(
    `<?xml version="1.0"?><!DOCTYPE lolz [${entities}]><RoamClientUserResponse><RequestId>&lol9;</RequestId></RoamClientUserResponse>`,
  );
}

function newRequestId(): string {
  return randomUUID().toUpperCase();
}

function actionOf(request: RecordedRequest, params: Record<string, string>): string {
  const header = request.headers['x-acs-action'];
  return typeof header === 'string' ? header : (params.Action ?? '');
}

function isAction(action: string): action is HostileSagAction {
  return (HOSTILE_SAG_ACTIONS as readonly string[]).includes(action);
}

export async function startHostileSag(initial: Scenario = {}): Promise<HostileSag> {
  let scenario = initial;
  let requests: HostileRequest[] = [];
  let issued = new Set<string>();
  let accounts = new Map<string, Set<string>>();
  const counts = new Map<string, number>();

  const accountsOf = (instanceId: string) => {
    let set = accounts.get(instanceId);
    if (!set) {
      set = new Set();
      accounts.set(instanceId, set);
    }
    return set;
  };

  const success = (body: Record<string, unknown>): FixedAnswer => {
    const requestId = newRequestId();
    issued.add(requestId);
    return json({ RequestId: requestId, ...body });
  };

  function normalAnswer(action: string, params: Record<string, string>): FixedAnswer {
    switch (action) {
      case 'RoamClientUser': {
        const target = accountsOf(params.TargetSmartAGId ?? '');
        const userName = params.UserName ?? '';
        if (target.has(userName)) return apiError('ClientUser.UserExist');
        target.add(userName);
        return success({});
      }
      case 'DescribeSmartAccessGatewayClientUsers': {
        const filter = params.UserName ?? '';
        const names = [...accountsOf(params.SmartAGId ?? '')].filter((name) => name.includes(filter));
        const pageNumber = Math.max(1, Number(params.PageNumber) || 1);
        const pageSize = Math.min(50, Math.max(1, Number(params.PageSize) || 10));
        const page = names.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        return success({
          TotalCount: names.length,
          PageNumber: pageNumber,
          PageSize: pageSize,
          Users: { User: page.map((UserName) => ({ UserName, Bandwidth: 2_000, IsStaticIp: 0, State: 0 })) },
        });
      }
      case 'DescribeRegions':
        return success({
          Regions: {
            Region: [HOSTILE_ROUTE.originRegionId, HOSTILE_ROUTE.targetRegionId].map((RegionId) => ({
              RegionId,
              LocalName: RegionId,
              RegionEndpoint: `smartag.${RegionId}.aliyuncs.com`,
            })),
          },
        });
      case 'DescribeSmartAccessGateways': {
        const ids =
          params.RegionId === HOSTILE_ROUTE.originRegionId
            ? [HOSTILE_ROUTE.originInstanceId]
            : [HOSTILE_ROUTE.targetInstanceId];
        return success({
          TotalCount: ids.length,
          PageNumber: 1,
          PageSize: 50,
          SmartAccessGateways: {
            SmartAccessGateway: ids.map((SmartAGId) => ({
              SmartAGId,
              Name: SmartAGId,
              Status: 'Active',
              HardwareVersion: 'sag-software',
              UserCount: 2_000,
            })),
          },
        });
      }
      default:
        return apiError('InvalidAction.NotFound', { status: 404 });
    }
  }

  const server = await startLocalServer((recorded, response) => {
    // A client that gives up closes the connection while a streamed answer is still being written.
    response.on('error', () => {});
    const params = rpcParameters(recorded);
    const action = actionOf(recorded, params);
    const index = (counts.get(action) ?? 0) + 1;
    counts.set(action, index);
    const request: HostileRequest = { action, params, index };
    requests.push(request);
    const respond = isAction(action) ? scenario[action] : undefined;
    const context: ScenarioContext = { normal: () => normalAnswer(action, params) };
    const answer = respond ? respond(request, context) : context.normal();
    if ('stream' in answer) {
      answer.stream(response);
      return;
    }
    response.writeHead(answer.status ?? 200, answer.headers ?? {});
    response.end(answer.body);
  });

  return {
    url: server.url,
    get requests() {
      return requests;
    },
    count: (action) =>
      action === undefined ? requests.length : requests.filter((request) => request.action === action).length,
    accounts: (instanceId = HOSTILE_ROUTE.targetInstanceId) => [...accountsOf(instanceId)],
    get issuedRequestIds() {
      return issued;
    },
    reset(next = {}) {
      scenario = next;
      requests = [];
      issued = new Set();
      accounts = new Map();
      counts.clear();
    },
    close: () => server.close(),
  };
}
