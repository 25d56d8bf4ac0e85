// `npm run user:create -- --email admin@example.com [--role admin|operator|viewer] [--reset-password]`
// Creates a sag-roam user (or sets a new password for one) in the configured database, from the server's
// console. The password is read without echo from a terminal, or as the first line of standard input.
// Runs under `tsx --conditions=react-server`, which lets the `server-only` modules it uses load outside Next.js.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { isRole, ROLES, type Role } from '@/lib/auth/roles';
import { passwordProblem } from '@/lib/auth/schema';
import { addUserSchema } from '@/lib/auth/schema-en';
import { addUserFromConsole, resetPasswordFromConsole, UserAdminError } from '@/lib/auth/users';
import { ConfigError, describeStorage, getConfig } from '@/lib/config';
import { DataDirectoryInUseError, findDataDirectoryHolder, openDatabase } from '@/lib/db/database';

const USAGE = `Usage: npm run user:create -- --email <address> [--role admin|operator|viewer] [--reset-password]

Creates a sag-roam user in the configured database (DATABASE_URL, else the embedded PostgreSQL in DATA_DIR).

  --email <address>   the user's e-mail address (their sign-in name)
  --role <role>       ${ROLES.join(', ')}; default admin
  --reset-password    set a new password for an existing user instead, and sign them out everywhere
  --help              show this help

The password is asked twice, without echo, when run in a terminal; otherwise it is the first line of
standard input, e.g.  printf '%s\\n' "$PASSWORD" | npm run user:create -- --email ops@example.com
With the embedded database, stop sag-roam first: only one process may open DATA_DIR at a time.`;

/** A mistake of the person running the script: the message says what to change. */
class ScriptError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ScriptError';
  }
}

interface Options {
  email: string;
  role: Role;
  resetPassword: boolean;
}

function parseOptions(args: string[]): Options | 'help' {
  let values: { email?: string; role?: string; 'reset-password'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        'reset-password': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ScriptError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`, 2);
  }
  if (values.help) return 'help';
  if (values.email === undefined) throw new ScriptError(`--email is required.\n\n${USAGE}`, 2);
  if (values['reset-password'] && values.role !== undefined) {
    throw new ScriptError(
      '--role cannot be combined with --reset-password: a reset changes only the password.',
      2,
    );
  }
  const role = values.role ?? 'admin';
  if (!isRole(role)) throw new ScriptError(`--role must be one of ${ROLES.join(', ')}, not "${role}".`, 2);
  // The same e-mail rule as the admin form; the password is checked once it is read.
  const parsed = addUserSchema.shape.email.safeParse(values.email);
  if (!parsed.success) {
    throw new ScriptError(`--email: ${parsed.error.issues[0]?.message ?? 'not an e-mail address'}.`, 2);
  }
  return { email: parsed.data, role, resetPassword: values['reset-password'] === true };
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      // Terminals wrap pasted text in these markers (bracketed paste).
      for (const character of chunk.replaceAll('\u001b[200~', '').replaceAll('\u001b[201~', '')) {
        if (character === '\r' || character === '\n') return finish();
        if (character === '\u0003') return finish(new ScriptError('Cancelled; nothing was changed.', 130));
        if (character === '\u0004') {
          return value === '' ? finish(new ScriptError('Cancelled; nothing was changed.', 130)) : finish();
        }
        if (character === '\u007f' || character === '\b') {
          value = Array.from(value).slice(0, -1).join('');
        } else if (character >= ' ') {
          value += character;
        }
      }
    };
    process.stderr.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

/** The first line of standard input (a pipe or a file), without its line ending. */
async function readFirstLine(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n') || text.length > 64 * 1024) break;
  }
  return text.split(/\r?\n/, 1)[0] ?? '';
}

async function readPassword(email: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = await readFirstLine();
    if (password === '') throw new ScriptError('No password: give it as the first line of standard input.');
    return checkedPassword(password);
  }
  const password = checkedPassword(await promptHidden(`New password for ${email}: `));
  if ((await promptHidden('Repeat the password: ')) !== password) {
    throw new ScriptError('The two passwords differ; nothing was changed.');
  }
  return password;
}

function checkedPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw new ScriptError(`The password is ${problem}; nothing was changed.`);
  return password;
}

/** The embedded database is open elsewhere, most likely in the running app. */
function inUse(error: DataDirectoryInUseError): ScriptError {
  const { pid, hostname } = error.holder;
  const where =
    pid === 0
      ? 'starting at this moment'
      : hostname === os.hostname()
        ? `pid ${pid}`
        : `pid ${pid} on ${hostname}`;
  return new ScriptError(
    `The embedded database in ${error.dataDir} is open in another process, probably sag-roam (${where}). ` +
      'Only one process may open it at a time: stop sag-roam and run this again (or use DATABASE_URL).' +
      (hostname === os.hostname()
        ? ''
        : ` If that process no longer runs on ${hostname}, delete ${error.holder.lockFile}.`),
  );
}

function actorLabel(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the label still says where the change came from.
  }
  return `user:create script (${user}@${os.hostname()})`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new ScriptError(error.message);
    throw error;
  }
  if (config.storage.kind === 'embedded') {
    // Asked before the password, so that nobody types one for nothing; openDatabase takes the lock itself.
    const holder = await findDataDirectoryHolder(config.storage.dataDir);
    if (holder) throw inUse(new DataDirectoryInUseError(config.storage.dataDir, holder));
  }

  const password = await readPassword(options.email);
  console.error(`Database: ${describeStorage(config)}`);
  const opened = await openDatabase(
    config.storage.kind === 'postgres'
      ? { databaseUrl: config.storage.databaseUrl, maxConnections: 2 }
      : { dataDir: config.storage.dataDir },
  ).catch((error: unknown) => {
    throw error instanceof DataDirectoryInUseError ? inUse(error) : error;
  });
  try {
    if (options.resetPassword) {
      const user = await resetPasswordFromConsole(opened.db, actorLabel(), {
        email: options.email,
        password,
      });
      console.log(
        `Set a new password for ${user.email} (${user.role}) and ended their sessions.${
          user.disabled ? ' The account is disabled: an admin must enable it before it can sign in.' : ''
        }`,
      );
    } else {
      const user = await addUserFromConsole(opened.db, actorLabel(), {
        email: options.email,
        role: options.role,
        password,
      });
      console.log(`Created ${user.role} ${user.email}.`);
    }
  } finally {
    await opened.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ScriptError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else if (error instanceof UserAdminError) {
    console.error(`${error.message} Nothing was changed.`);
    process.exitCode = 1;
  } else {
    // A query error's message quotes its parameters (a password hash among them): print only the cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    console.error(`user:create failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    process.exitCode = 1;
  }
});
