/**
 * IPv4 prefix arithmetic for the plan's CIDR checks: the private CIDR blocks of origin and target must not
 * overlap (`SAG.CidrOverlap`), and the target must have one (`SAG.CidrEmpty`). A `CidrBlock` field may hold
 * several blocks (the API gives no format for a list; commas, semicolons and white space are all taken).
 * Pure and dependency-free. A block that does not read as IPv4 CIDR is reported, never guessed at: the plan
 * then says the overlap check could not be made.
 */

export interface CidrBlock {
  /** As written in the field. */
  text: string;
  /** Normalised: the network address (host bits cleared) and the prefix, e.g. `10.10.0.0/16`. */
  normalized: string;
  /** First and last address of the block, as unsigned 32-bit numbers. */
  first: number;
  last: number;
  prefix: number;
  /** The address had bits set beyond the prefix (`10.10.1.0/16`); the block is read as its network. */
  hostBitsSet: boolean;
}

export interface CidrField {
  blocks: CidrBlock[];
  /** Parts of the field that are not IPv4 CIDR blocks, as written. */
  malformed: string[];
}

const SEPARATORS = /[\s,;]+/;
/** 0 to 255, without leading zeros (which some parsers read as octal). */
const OCTET = /^(?:0|[1-9]\d?|1\d\d|2[0-4]\d|25[0-5])$/;
const PREFIX = /^(?:\d|[12]\d|3[0-2])$/;

/** One block such as `10.10.0.0/16`, or null when it is not one. */
export function parseCidrBlock(text: string): CidrBlock | null {
  const parts = text.split('/');
  if (parts.length !== 2) return null;
  const [address = '', prefixText = ''] = parts;
  if (!PREFIX.test(prefixText)) return null;
  const octets = address.split('.');
  if (octets.length !== 4 || !octets.every((octet) => OCTET.test(octet))) return null;
  const value = octets.reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  // Plain arithmetic rather than bit operators: JavaScript's are signed and a /0 mask would not fit them.
  const first = Math.floor(value / size) * size;
  return {
    text,
    normalized: `${formatAddress(first)}/${prefix}`,
    first,
    last: first + size - 1,
    prefix,
    hostBitsSet: first !== value,
  };
}

function formatAddress(value: number): string {
  const octets: number[] = [];
  let rest = value;
  for (let index = 0; index < 4; index += 1) {
    octets.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return octets.join('.');
}

/** Every block of a field; empty parts are ignored, so an empty or absent field has no block. */
export function parseCidrField(field: string | null | undefined): CidrField {
  const blocks: CidrBlock[] = [];
  const malformed: string[] = [];
  for (const part of (field ?? '').split(SEPARATORS)) {
    if (part === '') continue;
    const block = parseCidrBlock(part);
    if (block) blocks.push(block);
    else malformed.push(part);
  }
  return { blocks, malformed };
}

/** Whether two blocks share at least one address. */
export function blocksOverlap(left: CidrBlock, right: CidrBlock): boolean {
  return left.first <= right.last && right.first <= left.last;
}

/** Each pair of overlapping blocks, one from each list, in the lists' order. */
export function overlappingBlocks(
  left: readonly CidrBlock[],
  right: readonly CidrBlock[],
): [CidrBlock, CidrBlock][] {
  const pairs: [CidrBlock, CidrBlock][] = [];
  for (const one of left) {
    for (const other of right) {
      if (blocksOverlap(one, other)) pairs.push([one, other]);
    }
  }
  return pairs;
}
