import { describe, expect, it } from 'vitest';
import { blocksOverlap, overlappingBlocks, parseCidrBlock, parseCidrField } from './cidr';

function block(text: string) {
  const parsed = parseCidrBlock(text);
  if (!parsed) throw new Error(`${text} should parse`);
  return parsed;
}

function blocks(field: string) {
  const parsed = parseCidrField(field);
  expect(parsed.malformed).toEqual([]);
  return parsed.blocks;
}

describe('one IPv4 CIDR block', () => {
  it('reads the range of a plain block', () => {
    expect(block('10.10.0.0/16')).toEqual({
      text: '10.10.0.0/16',
      normalized: '10.10.0.0/16',
      first: 10 * 2 ** 24 + 10 * 2 ** 16,
      last: 10 * 2 ** 24 + 10 * 2 ** 16 + 65_535,
      prefix: 16,
      hostBitsSet: false,
    });
  });

  it('reads /0 as the whole IPv4 space and /32 as one address', () => {
    expect(block('0.0.0.0/0')).toMatchObject({ first: 0, last: 2 ** 32 - 1, normalized: '0.0.0.0/0' });
    expect(block('255.255.255.255/32')).toMatchObject({ first: 2 ** 32 - 1, last: 2 ** 32 - 1 });
    expect(block('192.168.1.7/32')).toMatchObject({ normalized: '192.168.1.7/32', hostBitsSet: false });
  });

  it('clears host bits, and says they were set', () => {
    expect(block('10.10.1.9/16')).toMatchObject({ normalized: '10.10.0.0/16', hostBitsSet: true });
    expect(block('172.16.5.200/0')).toMatchObject({ normalized: '0.0.0.0/0', first: 0, hostBitsSet: true });
    expect(block('200.1.2.3/31')).toMatchObject({
      normalized: '200.1.2.2/31',
      last: block('200.1.2.3/32').first,
    });
  });

  it.each([
    '10.10.0.0',
    '10.10.0.0/',
    '/16',
    '10.10.0/16',
    '10.10.0.0.0/16',
    '10.10.0.256/16',
    '10.10.0.0/33',
    '10.10.0.0/-1',
    '10.10.0.0/16/8',
    '010.10.0.0/16',
    '10.10.0.0/016',
    '10.10.0.0/1a',
    'a.b.c.d/8',
    '10.10.0.0 /16',
    '+10.10.0.0/16',
    '10.10.0.0/16x',
    'fd00::/8',
    '',
  ])('refuses %j', (text) => {
    expect(parseCidrBlock(text)).toBeNull();
  });
});

describe('a CidrBlock field', () => {
  it('is empty when absent or blank', () => {
    expect(parseCidrField(undefined)).toEqual({ blocks: [], malformed: [] });
    expect(parseCidrField(null)).toEqual({ blocks: [], malformed: [] });
    expect(parseCidrField('  ,; ')).toEqual({ blocks: [], malformed: [] });
  });

  it('takes several blocks separated by commas, semicolons or white space', () => {
    expect(
      blocks('10.0.0.0/24,10.0.1.0/24; 10.0.2.0/24\n10.0.3.0/24\t 10.0.4.0/24').map((b) => b.normalized),
    ).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24']);
  });

  it('keeps the good blocks and names the malformed ones as written', () => {
    const field = parseCidrField('10.0.0.0/24, 10.0.1.0/40,banana;10.0.2.0/24');
    expect(field.blocks.map((b) => b.text)).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(field.malformed).toEqual(['10.0.1.0/40', 'banana']);
  });
});

describe('overlap', () => {
  it('is found when one block contains the other, either way round', () => {
    expect(blocksOverlap(block('10.10.0.0/16'), block('10.10.128.0/20'))).toBe(true);
    expect(blocksOverlap(block('10.10.128.0/20'), block('10.10.0.0/16'))).toBe(true);
    expect(blocksOverlap(block('0.0.0.0/0'), block('192.168.1.1/32'))).toBe(true);
    expect(blocksOverlap(block('10.1.2.3/32'), block('10.1.2.3/32'))).toBe(true);
  });

  it('counts host bits as cleared', () => {
    expect(blocksOverlap(block('10.10.200.1/16'), block('10.10.0.0/24'))).toBe(true);
  });

  it('is not found for neighbours that only touch', () => {
    expect(blocksOverlap(block('10.0.0.0/24'), block('10.0.1.0/24'))).toBe(false);
    expect(blocksOverlap(block('10.0.0.255/32'), block('10.0.1.0/32'))).toBe(false);
    expect(blocksOverlap(block('0.0.0.0/1'), block('128.0.0.0/1'))).toBe(false);
    expect(blocksOverlap(block('10.10.0.0/16'), block('10.20.0.0/16'))).toBe(false);
  });

  it('between two lists, names every overlapping pair, including a list that covers part of a block', () => {
    // The target's two blocks cover 10.0.1.0-10.0.2.255, part of the origin's first block and part of nothing else.
    const origin = blocks('10.0.0.0/23, 172.16.0.0/12');
    const target = blocks('10.0.1.0/24,10.0.2.0/24,192.168.0.0/16');
    expect(overlappingBlocks(origin, target).map(([a, b]) => [a.normalized, b.normalized])).toEqual([
      ['10.0.0.0/23', '10.0.1.0/24'],
    ]);
    expect(overlappingBlocks(target, origin)).toHaveLength(1);
    expect(
      overlappingBlocks(blocks('10.0.0.0/8'), blocks('10.1.0.0/16 10.2.0.0/16 11.0.0.0/8')),
    ).toHaveLength(2);
    expect(overlappingBlocks(blocks('10.0.0.0/24'), blocks('10.0.1.0/24 10.0.2.0/24'))).toEqual([]);
    expect(overlappingBlocks([], blocks('0.0.0.0/0'))).toEqual([]);
  });
});
