import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  PASSWORD_HASH_COST,
  parsePasswordHash,
  passwordProblem,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords';

const fast = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('uses scrypt N=2^15, r=8, p=1 with a 16-byte salt and a 32-byte key, named in the stored string', async () => {
    const hash = await hashPassword('correct horse battery');

    expect(PASSWORD_HASH_COST).toEqual({ N: 32768, r: 8, p: 1 });
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(parsePasswordHash(hash)).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect(parsePasswordHash(hash)?.salt).toHaveLength(16);
    expect(parsePasswordHash(hash)?.key).toHaveLength(32);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts every hash: the same password never gives the same string', async () => {
    const [first, second] = await Promise.all([
      hashPassword('same password here', fast),
      hashPassword('same password here', fast),
    ]);

    expect(first).not.toBe(second);
    expect(await verifyPassword('same password here', first)).toBe(true);
    expect(await verifyPassword('same password here', second)).toBe(true);
  });

  it('verifies a hash with the parameters recorded in it', async () => {
    const hash = await hashPassword('a password of a test', fast);

    expect(hash.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('a password of a test', hash)).toBe(true);
    expect(await verifyPassword('a password of a tesT', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const hash = await hashPassword('mot de passe d\u00e9j\u00e0 vu', fast);

    expect(await verifyPassword('mot de passe de\u0301ja\u0300 vu', hash)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['another scheme', '$2b$10$abcdefghijklmnopqrstuv'],
    ['missing parts', 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0'],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['N too large', 'scrypt$67108864$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['p zero', 'scrypt$1024$8$0$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['salt not base64', 'scrypt$1024$8$1$not*base64$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['key too short', 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5'],
  ])('returns false, without throwing, for a malformed hash: %s', async (_, hash) => {
    expect(parsePasswordHash(hash)).toBeNull();
    await expect(verifyPassword('whatever password', hash)).resolves.toBe(false);
  });

  it('returns false for input that is not a string', async () => {
    const hash = await hashPassword('a password of a test', fast);

    await expect(verifyPassword(undefined as unknown as string, hash)).resolves.toBe(false);
    await expect(verifyPassword('a password of a test', null as unknown as string)).resolves.toBe(false);
  });

  it('spends a verification on a dummy hash and always says no', async () => {
    await expect(verifyAgainstDummy('any password at all', fast)).resolves.toBe(false);
    await expect(verifyAgainstDummy(42 as unknown as string, fast)).resolves.toBe(false);
  });
});

describe('password rules', () => {
  it.each([
    ['short', 'too short: at least 12 characters'],
    ['x'.repeat(11), 'too short: at least 12 characters'],
    ['x'.repeat(12), null],
    ['x'.repeat(256), null],
    ['x'.repeat(257), 'too long: at most 256 characters'],
    [' '.repeat(12), 'only spaces'],
  ])('%j → %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });
});
