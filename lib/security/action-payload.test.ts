// The action body check of the proxy, against the decoder it stands in front of: bodies encoded by React's
// own client (`encodeReply`, as the app's pages send them) must pass, and every body it refuses must be one
// that Next.js's decoding (React's `decodeReply` of the same Next.js build, run in a child process with the
// react-server condition it needs) really fails on.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_BODY_LIMIT_BYTES,
  checkActionBody,
  isPossibleActionRequest,
  jsonNesting,
  MAX_ACTION_ARGUMENTS,
  MAX_ACTION_NESTING,
  readBodyUpTo,
} from './action-payload';

const reactDirectory = path.join(
  process.cwd(),
  'node_modules/next/dist/compiled/react-server-dom-webpack/cjs',
);
const reactClient = createRequire(import.meta.url)(
  path.join(reactDirectory, 'react-server-dom-webpack-client.node.production.js'),
) as { encodeReply(value: unknown): Promise<string | FormData> };

interface Body {
  name: string;
  contentType: string | null;
  body: Uint8Array;
}

const ACTION_ID = '7f0a4c1d2e3b';
const encoder = new TextEncoder();

function textBody(name: string, text: string): Body {
  return { name, contentType: 'text/plain;charset=UTF-8', body: encoder.encode(text) };
}

async function formBody(name: string, form: FormData): Promise<Body> {
  const response = new Response(form);
  return {
    name,
    contentType: response.headers.get('content-type'),
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

function multipart(name: string, parts: [string, string][], boundary = 'sag-roam-boundary'): Body {
  const text = `${parts
    .map(
      ([field, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`,
    )
    .join('')}--${boundary}--\r\n`;
  return { name, contentType: `multipart/form-data; boundary=${boundary}`, body: encoder.encode(text) };
}

async function encoded(name: string, args: unknown[]): Promise<Body> {
  const reply = await reactClient.encodeReply(args);
  return typeof reply === 'string' ? textBody(name, reply) : formBody(name, reply);
}

const check = (body: Body) =>
  checkActionBody({ method: 'POST', actionId: ACTION_ID, contentType: body.contentType }, body.body);

// What Next.js does with a body, in a process of its own: "decoded", or the error's message.
const DECODER_SCRIPT = `
const server = require(${JSON.stringify(path.join(reactDirectory, 'react-server-dom-webpack-server.node.production.js'))});
let input = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => { input += chunk; }).on('end', async () => {
  const results = [];
  for (const { contentType, body } of JSON.parse(input)) {
    const bytes = Buffer.from(body, 'base64');
    try {
      const reply = contentType && contentType.startsWith('multipart/form-data')
        ? await new Request('http://n/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData()
        : bytes.toString('utf-8');
      const args = await server.decodeReply(reply, {}, { temporaryReferences: server.createTemporaryReferenceSet() });
      // Next.js's own checks before it calls the action (action-handler.js).
      if (!Array.isArray(args)) throw new Error('not an argument list');
      if (args.length > ${MAX_ACTION_ARGUMENTS}) throw new Error('Server Action arguments list is too long');
      results.push('decoded');
    } catch (error) {
      results.push(String(error && error.message || error));
    }
  }
  process.stdout.write(JSON.stringify(results));
});
`;

describe('the action body check', () => {
  let directory: string;
  let decoderScript: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'sag-roam-action-payload-'));
    decoderScript = path.join(directory, 'decode.cjs');
    await writeFile(decoderScript, DECODER_SCRIPT);
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function decodeWithNext(bodies: Body[]): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=react-server', decoderScript], {
        cwd: process.cwd(),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(JSON.parse(stdout) as string[]);
        else reject(new Error(`the decoder exited with ${code}: ${stderr}`));
      });
      child.stdin.end(
        JSON.stringify(
          bodies.map(({ contentType, body }) => ({
            contentType,
            body: Buffer.from(body).toString('base64'),
          })),
        ),
      );
    });
  }

  async function wellFormedBodies(): Promise<Body[]> {
    const form = new FormData();
    form.append('email', 'operator@example.com');
    const usernames = Array.from({ length: 2_000 }, (_, index) => `sh.emp${index}@corp.example.com`);
    let nested: unknown = 'leaf';
    for (let level = 0; level < 20; level += 1) nested = { level, nested };
    const shared = { id: 'the same object twice' };
    return Promise.all([
      encoded('a sign-in', [{ email: 'operator@example.com', password: 'a password' }, '/history']),
      encoded('a roam job of 2000 usernames', [
        { originRegionId: 'cn-shanghai', targetRegionId: 'ap-northeast-1', usernames },
      ]),
      encoded('an action state with a form', [null, form]),
      encoded('dates, maps and sets', [new Date(0), new Map([[1, { a: [1, 2] }]]), new Set(['x'])]),
      encoded('odd strings and numbers', ['$weird', '$1', '', 10n, Number.NaN, -0, undefined, Infinity]),
      encoded('nesting of 20 levels', [nested]),
      encoded('an object referred to twice', [shared, shared]),
      encoded('no arguments', []),
    ]);
  }

  function malformedBodies(): Body[] {
    const deep = 50_000;
    // Within the size limit, and deep enough to overflow the decoder's stack.
    const chain = 15_000;
    const chainParts: [string, string][] = [['0', '["$1"]']];
    for (let index = 1; index < chain; index += 1) {
      chainParts.push([String(index), `"$${(index + 1).toString(16)}"`]);
    }
    chainParts.push([String(chain), '1']);
    return [
      textBody('JSON that does not parse', '[{"email": "a@example.com",'),
      textBody('JSON with a single quote', "['x']"),
      textBody(`nesting ${deep} deep`, `${'['.repeat(deep)}${']'.repeat(deep)}`),
      textBody('a reference to a part that is not there', '["$5"]'),
      textBody('a map of a part that is not there', '["$Q2"]'),
      textBody('a reference that is no number', '["$zz"]'),
      textBody('a typed array without its file', '["$A1"]'),
      textBody('arguments that are not a list', '{"email":"a@example.com"}'),
      textBody('arguments that are a string', '"just text"'),
      textBody('too many arguments', JSON.stringify(Array(MAX_ACTION_ARGUMENTS + 1).fill(0))),
      {
        name: 'multipart that ends too early',
        contentType: 'multipart/form-data; boundary=b',
        body: encoder.encode('--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n["x"]'),
      },
      {
        name: 'multipart that is no multipart',
        contentType: 'multipart/form-data; boundary=b',
        body: encoder.encode('this is not multipart'),
      },
      {
        name: 'multipart without a boundary',
        contentType: 'multipart/form-data',
        body: encoder.encode('--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n["x"]\r\n--b--\r\n'),
      },
      {
        name: 'multipart with a bad part header',
        contentType: 'multipart/form-data; boundary=b',
        body: encoder.encode('--b\r\nGarbage\r\n\r\n["x"]\r\n--b--\r\n'),
      },
      multipart('multipart without the argument list', [['1', '["x"]']]),
      multipart('multipart whose part is not JSON', [
        ['0', '["$1"]'],
        ['1', '{not json'],
      ]),
      multipart(`a chain of ${chain} parts, each referring to the next`, chainParts, 'b'),
      textBody('a text body of multipart, sent as text', '--b\r\nContent-Disposition: form-data; name="0"'),
    ];
  }

  it('passes every body that React encodes for an action call, and Next.js decodes each of them', async () => {
    const bodies = await wellFormedBodies();

    for (const body of bodies) expect(await check(body), body.name).toBeNull();
    expect(await decodeWithNext(bodies)).toEqual(bodies.map(() => 'decoded'));
  });

  it('passes the encoding of any JSON-like arguments, generated, and Next.js decodes them all', async () => {
    const argumentLists = fc.sample(
      fc.array(fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.date({ noInvalidDate: true }), fc.bigInt()), {
        maxLength: 6,
      }),
      { numRuns: 300, seed: 10 },
    );
    const bodies = await Promise.all(argumentLists.map((args, index) => encoded(`generated ${index}`, args)));

    for (const body of bodies) expect(await check(body), body.name).toBeNull();
    expect(await decodeWithNext(bodies)).toEqual(bodies.map(() => 'decoded'));
  });

  it('refuses with 400 each malformed body, and Next.js indeed fails on each of them', async () => {
    const bodies = malformedBodies();

    for (const body of bodies) expect(await check(body), body.name).toMatchObject({ status: 400 });
    const decoded = await decodeWithNext(bodies);
    bodies.forEach((body, index) => {
      expect(decoded[index], body.name).not.toBe('decoded');
    });
    // The 500s the finding saw: a stack overflow, a parse error, a multipart error.
    expect(decoded).toContain('Maximum call stack size exceeded');
    expect(decoded.some((message) => /JSON/.test(message))).toBe(true);
    expect(decoded.some((message) => /FormData/.test(message))).toBe(true);
  }, 60_000);

  it(`refuses nesting deeper than ${MAX_ACTION_NESTING} levels, which no form of the app comes near`, async () => {
    const nested = (levels: number) => `[${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}]`;
    expect(await check(textBody('at the limit', nested(MAX_ACTION_NESTING - 1)))).toBeNull();
    expect(await check(textBody('beyond the limit', nested(MAX_ACTION_NESTING)))).toMatchObject({
      status: 400,
    });
    // Also when the depth is spread over parts that refer to one another.
    const parts: [string, string][] = [];
    for (let index = 0; index < 10; index += 1) {
      parts.push([String(index), `[${'['.repeat(15)}"$${(index + 1).toString(16)}"${']'.repeat(15)}]`]);
    }
    parts.push(['10', '1']);
    expect(await check(multipart('spread over parts', parts))).toMatchObject({ status: 400 });
    expect(await check(multipart('a few of them', [...parts.slice(0, 2), ['2', '1']]))).toBeNull();
  });

  it('refuses a body above the size limit with 413, without parsing it', async () => {
    const body = textBody('too large', `["${'x'.repeat(ACTION_BODY_LIMIT_BYTES)}"]`);
    expect(await check(body)).toMatchObject({ status: 413 });
    expect(
      await check(textBody('at the limit', `["${'x'.repeat(ACTION_BODY_LIMIT_BYTES - 4)}"]`)),
    ).toBeNull();
  });

  it('looks only at what Next.js would decode as an action', async () => {
    expect(isPossibleActionRequest({ method: 'POST', actionId: ACTION_ID, contentType: 'text/plain' })).toBe(
      true,
    );
    expect(
      isPossibleActionRequest({
        method: 'POST',
        actionId: null,
        contentType: 'multipart/form-data; boundary=x',
      }),
    ).toBe(true);
    expect(isPossibleActionRequest({ method: 'POST', actionId: null, contentType: 'application/json' })).toBe(
      false,
    );
    expect(isPossibleActionRequest({ method: 'GET', actionId: ACTION_ID, contentType: null })).toBe(false);
    // A form posted without JavaScript: only the multipart must parse, other fields are the form's own.
    const noScript = multipart('a form posted without JavaScript', [
      ['$ACTION_REF_1', ''],
      ['$ACTION_1:0', '{"id":"7f0a4c1d2e3b","bound":"$@1"}'],
      ['$ACTION_1:1', '[]'],
      ['$ACTION_KEY', 'k0'],
      ['email', '{not json, and that is fine'],
    ]);
    expect(
      await checkActionBody(
        { method: 'POST', actionId: null, contentType: noScript.contentType },
        noScript.body,
      ),
    ).toBeNull();
    const broken = multipart('a broken form posted without JavaScript', [['$ACTION_1:0', '{"id":']]);
    expect(
      await checkActionBody({ method: 'POST', actionId: null, contentType: broken.contentType }, broken.body),
    ).toMatchObject({ status: 400 });
  });

  it('counts nesting outside strings only', () => {
    expect(jsonNesting('[]')).toBe(1);
    expect(jsonNesting('[{"a":[1,{"b":2}]}]')).toBe(4);
    expect(jsonNesting('["[[[[", "\\"[[[", {"k": "}}}}"}]')).toBe(2);
    expect(jsonNesting('"plain"')).toBe(0);
    expect(jsonNesting('['.repeat(1000), 10)).toBe(11);
  });

  it('reads a body up to one byte past the limit, and no further', async () => {
    let sent = 0;
    const stream = (size: number) =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= size) return controller.close();
          controller.enqueue(new Uint8Array(1_000));
          sent += 1_000;
        },
      });
    expect((await readBodyUpTo(stream(10_000), 100_000)).byteLength).toBe(10_000);
    sent = 0;
    expect((await readBodyUpTo(stream(10_000_000), 100_000)).byteLength).toBe(101_000);
    expect(sent).toBeLessThan(110_000);
    expect((await readBodyUpTo(null)).byteLength).toBe(0);
  });
});
