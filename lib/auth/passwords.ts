import 'server-only';

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './schema';

/**
 * Password hashing with scrypt, memory-hard so that a stolen users table is expensive to attack on GPUs.
 * The stored string names its parameters (`scrypt$N$r$p$salt$hash`), so they can be raised later without
 * breaking the hashes already stored: each is verified with the parameters it was made with.
 */

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** About 32 MiB and 50–100 ms per hash on a current server core (OWASP's scrypt recommendation). */
export const PASSWORD_HASH_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse stored parameters beyond this: a tampered row must not make one sign-in take gigabytes. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_P = 16;

const HASH_PATTERN =
  /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, cost: ScryptCost, keyBytes: number): Promise<Buffer> {
  // Node refuses scrypt above `maxmem` (32 MiB by default, which N = 2^15, r = 8 just exceeds).
  const options: ScryptOptions = { ...cost, maxmem: memoryOf(cost) + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // NFC: the same password typed on another system may arrive with its accents decomposed.
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** An upper bound of what scrypt allocates with these parameters. */
function memoryOf({ N, r, p }: ScryptCost): number {
  return 128 * N * r * p;
}

function isValidCost(cost: ScryptCost): boolean {
  const { N, r, p } = cost;
  const integers = [N, r, p].every(Number.isSafeInteger);
  return (
    integers &&
    N >= 2 &&
    (N & (N - 1)) === 0 &&
    r >= 1 &&
    p >= 1 &&
    p <= MAX_P &&
    memoryOf(cost) <= MAX_MEMORY_BYTES
  );
}

/** `scrypt$32768$8$1$<salt base64>$<hash base64>`. A lower cost is for tests only. */
export async function hashPassword(password: string, cost: ScryptCost = PASSWORD_HASH_COST): Promise<string> {
  if (!isValidCost(cost)) throw new Error('Invalid scrypt parameters');
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost, KEY_BYTES);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** The parameters a stored hash was made with, or null when it is not one of ours. */
export function parsePasswordHash(hash: string): (ScryptCost & { salt: Buffer; key: Buffer }) | null {
  const match = typeof hash === 'string' ? HASH_PATTERN.exec(hash) : null;
  if (!match) return null;
  const [, n, r, p, salt, key] = match;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!isValidCost(cost) || !salt || !key) return null;
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (saltBytes.length < 8 || keyBytes.length < 16 || keyBytes.length > 64) return null;
  return { ...cost, salt: saltBytes, key: keyBytes };
}

/** True only when `password` matches `hash`. Never throws: a malformed hash or input is simply false. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (typeof password !== 'string') return false;
  const parsed = parsePasswordHash(hash);
  if (!parsed) return false;
  try {
    const key = await derive(password, parsed.salt, parsed, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/**
 * Spends the time of one verification and returns false. Called when there is no hash to check (unknown
 * account, throttled attempt), so the response time does not tell whether an account exists. The dummy is
 * random bytes in the stored format: no password hashes to it, and making it costs no scrypt run.
 */
export async function verifyAgainstDummy(
  password: string,
  cost: ScryptCost = PASSWORD_HASH_COST,
): Promise<false> {
  const dummy = [
    'scrypt',
    cost.N,
    cost.r,
    cost.p,
    randomBytes(SALT_BYTES).toString('base64'),
    randomBytes(KEY_BYTES).toString('base64'),
  ].join('$');
  await verifyPassword(typeof password === 'string' ? password : '', dummy);
  return false;
}
