import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv';

// What a spreadsheet does with a cell: it skips leading white space (and a few invisible characters), and
// East Asian locales take the full-width ＝＋－＠ as the formula signs. A cell that would start a formula
// after that must reach the sheet as text: prefixed with a quote.

const FORMULA_SIGNS = [
  '=',
  '+',
  '-',
  '@',
  '＝',
  '＋',
  '－',
  '＠',
  '\u2212',
  '\uFE62',
  '\uFE63',
  '\uFE66',
  '\uFE6B',
];
const LEADING_NOISE = [
  ' ',
  '\t',
  '\r',
  '\n',
  '\u00A0',
  '\u3000',
  '\u2007',
  '\u200B',
  '\uFEFF',
  '\u000B',
  '\f',
];

/** The cell as a spreadsheet reads it: unquoted, with doubled quotes undone. */
function unquoted(cell: string): string {
  return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

describe('csvCell', () => {
  it.each([
    ['=1+1'],
    ['+1'],
    ['-1+1'],
    ['@SUM(A1)'],
    ['\t=1+1'],
    ['\r=1+1'],
    [' =HYPERLINK("http://evil.example")'],
    ['\n=1+1'],
    ['\u00A0=1+1'],
    ['＝1+1'],
    ['＋1'],
    ['－1'],
    ['＠SUM(A1)'],
    ['\u3000＝1+1'],
    ['  \t @cmd'],
  ])('keeps %j from running as a formula', (value) => {
    const cell = unquoted(csvCell(value));
    expect(cell.startsWith("'")).toBe(true);
    expect(cell.slice(1)).toBe(value);
  });

  it.each([
    ['sh.emp150@corp.example.com'],
    ['SAG.InstanceNoFound'],
    ['0'],
    ['a = b'],
    ['C0A8-0001-REQUEST-ID'],
    [''],
  ])('leaves %j as it is', (value) => {
    expect(unquoted(csvCell(value))).toBe(value);
  });

  it('quotes cells with commas, quotes and line breaks, and writes dates and empty values', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(' =1,2')).toBe(`"' =1,2"`);
    expect(csvCell(new Date('2030-01-01T08:00:00.000Z'))).toBe('2030-01-01T08:00:00.000Z');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(3)).toBe('3');
    expect(csvLine(['a', '=b', null])).toBe(`a,'=b,\r\n`);
  });

  it('neutralises every formula sign behind any run of leading white space or invisible characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LEADING_NOISE), { maxLength: 6 }),
        fc.constantFrom(...FORMULA_SIGNS),
        fc.string({ maxLength: 20 }),
        (noise, sign, rest) => {
          const value = `${noise.join('')}${sign}${rest}`;
          const cell = unquoted(csvCell(value));
          expect(cell).toBe(`'${value}`);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never changes a cell other than by one leading quote and CSV quoting', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (value) => {
        const cell = unquoted(csvCell(value));
        expect([value, `'${value}`]).toContain(cell);
      }),
      { numRuns: 2_000 },
    );
  });
});
