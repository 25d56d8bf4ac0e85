import { describe, expect, it } from 'vitest';
import { cursorComparable, parseJobCursor } from './cursor';

describe('parseJobCursor', () => {
  it('takes a cursor as the server hands it out: a decimal xid8', () => {
    expect(parseJobCursor('0')).toBe(0n);
    expect(parseJobCursor('754')).toBe(754n);
    expect(parseJobCursor('18446744073709551615')).toBe(2n ** 64n - 1n);
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      ' 754',
      '754 ',
      '+754',
      '-1',
      '0754',
      '7.5',
      '1e3',
      '0x10',
      '754abc',
      '18446744073709551616',
      '999999999999999999999',
      '٧٥٤',
    ]) {
      expect(parseJobCursor(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('cursorComparable', () => {
  it('compares cursors up to half the 32-bit xid space apart, never one ahead of the read', () => {
    expect(cursorComparable(100n, 100n)).toBe(true);
    expect(cursorComparable(100n, 2n ** 31n + 99n)).toBe(true);
    expect(cursorComparable(100n, 2n ** 31n + 100n)).toBe(false);
    expect(cursorComparable(101n, 100n)).toBe(false);
  });
});
