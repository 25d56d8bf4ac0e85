import type { Translate } from '@/lib/i18n/translate';
import { usernameProblem } from './username-rules';

/**
 * Turning what an admin pastes or uploads into a clean list of usernames. No directive: used by the form in
 * the browser and by tests.
 *
 * Every name goes through the same cleaning, pasted or read from a file:
 * - invisible format characters (zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen, bidi
 *   marks and controls) are removed and counted: copied from a chat or a web page they break a username's rules
 *   with nothing on screen to fix, and the admin is told how many were removed;
 * - NFKC normalisation, so full-width letters and digits typed with a Chinese input method (ａｌｉｃｅ０１) become the
 *   ASCII ones the account has (alice01);
 * - a quoted run ("john smith", “john smith”, 「john smith」) stays one entry without its quotes, so a name
 *   with a space inside is shown as one invalid name with its rule instead of two broken ones.
 */

/** New lines, spaces, commas, semicolons and the ideographic comma 、, ASCII and full-width. */
const SEPARATOR = /[\s,;，；、]/u;

/**
 * Characters that take no room on screen. Not all of Unicode's format category (Cf): some of its members show
 * as a sign (the Arabic number signs); these are the ones copy and paste brings along unseen.
 */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Opening quote → its closing quote. ASCII single quotes are left alone: they are apostrophes as often. */
const QUOTES: Readonly<Record<string, string>> = {
  '"': '"',
  '“': '”',
  '„': '“',
  '‘': '’',
  '「': '」',
  '『': '』',
  '«': '»',
};

/** Usernames read from text, and how many invisible characters were removed from them. */
export interface ParsedUsernames {
  usernames: string[];
  invisibleRemoved: number;
}

/** Removes invisible characters and normalises to NFKC; `removed` counts what was taken out. */
export function cleanText(text: string): { text: string; removed: number } {
  let removed = 0;
  const visible = text.replace(INVISIBLE, () => {
    removed += 1;
    return '';
  });
  return { text: visible.normalize('NFKC'), removed };
}

/**
 * Splits cleaned text into names at the separators; a quoted run that opens where a name would start and
 * closes on the same line is one name (its quotes removed, spaces inside kept). A quote without its closing
 * one on the line is an ordinary character, so a stray quote does not swallow the names after it.
 */
function splitCleaned(text: string): string[] {
  const names: string[] = [];
  let current = '';
  const finish = () => {
    const name = current.trim();
    if (name.length > 0) names.push(name);
    current = '';
  };
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    const closing = QUOTES[character];
    if (closing !== undefined && current === '') {
      const end = text.indexOf(closing, index + 1);
      const lineEnd = text.slice(index + 1).search(/[\r\n]/);
      if (end !== -1 && (lineEnd === -1 || end < index + 1 + lineEnd)) {
        current = text.slice(index + 1, end);
        finish();
        index = end;
        continue;
      }
    }
    if (SEPARATOR.test(character)) finish();
    else current += character;
  }
  finish();
  return names;
}

/** Pasted text as usernames: cleaned (see the top of this file) and split at separators and quotes. */
export function parseUsernames(text: string): ParsedUsernames {
  const cleaned = cleanText(text);
  return { usernames: splitCleaned(cleaned.text), invisibleRemoved: cleaned.removed };
}

/** Splits pasted text on newlines, commas, semicolons, 、 and spaces (ASCII and full-width), dropping empty parts. */
export function splitUsernames(text: string): string[] {
  return parseUsernames(text).usernames;
}

/** Appends usernames that are not in the list yet, keeping the first occurrence's position. */
export function mergeUsernames(existing: readonly string[], incoming: readonly string[]): string[] {
  const seen = new Set(existing);
  const merged = [...existing];
  for (const username of incoming) {
    if (!seen.has(username)) {
      seen.add(username);
      merged.push(username);
    }
  }
  return merged;
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') {
        quoted = false;
      } else {
        cell += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ',' || character === ';' || character === '\t') {
      cells.push(cell);
      cell = '';
    } else {
      cell += character;
    }
  }
  cells.push(cell);
  return cells.map((value) => value.trim());
}

const USERNAME_HEADER = /^(user[ _-]?name|username|用户名|用户名称)$/i;

/**
 * Column names of tables that hold accounts or people (the console's client account export, a directory or HR
 * export), compared without case, spaces, `_` and `-`. None is a username a SAG account could have in practice.
 */
const KNOWN_COLUMNS = new Set(
  [
    'email',
    'mail',
    'usermail',
    'emailaddress',
    'status',
    'state',
    'enabled',
    'phone',
    'phonenumber',
    'mobile',
    'telephone',
    'tel',
    'name',
    'fullname',
    'displayname',
    'firstname',
    'lastname',
    'department',
    'dept',
    'title',
    'role',
    'group',
    'bandwidth',
    'clientip',
    'ip',
    'ipaddress',
    'id',
    'userid',
    'password',
    'description',
    'remark',
    'remarks',
    'note',
    'notes',
    'createtime',
    'createdat',
    'created',
    '邮箱',
    '电子邮件',
    '邮件',
    '状态',
    '电话',
    '手机',
    '手机号',
    '姓名',
    '名称',
    '部门',
    '带宽',
    '密码',
    '备注',
    '描述',
    '客户端ip',
    'ip地址',
    '创建时间',
  ].map((name) => name.normalize('NFKC')),
);

function isKnownColumn(cell: string): boolean {
  return KNOWN_COLUMNS.has(cell.toLowerCase().replace(/[\s_-]+/g, ''));
}

/** What an uploaded file gave: usernames, or a table that has no username column (nothing taken from it). */
export type FileUsernames =
  | ({ kind: 'usernames' } & ParsedUsernames)
  | { kind: 'no-username-column'; columns: string[] };

/**
 * Usernames from an uploaded CSV or text file.
 *
 * A table with a username column (a header cell UserName, User Name, username, 用户名 …: the console's export of
 * client accounts, `UserName,UserMail,...`, or this app's own job export) contributes that column only.
 *
 * How a table with a header is told from a plain list of names, from the first non-empty line split at `,`
 * `;` and tabs (CSV quoting honoured), after the cleaning every name gets:
 * - one of its cells is a known column name (Email, Status, Phone, 邮箱 …: `KNOWN_COLUMNS`): a table, also when
 *   it is the only cell or the only line (a one-column export of e-mail addresses is still not usernames);
 * - the file has more than one line and the first has two or more cells of which one breaks the username rules
 *   (a header such as `Login ID,Office`, whose cells have spaces or are too short to be names): a table;
 * - otherwise a plain list, read like pasted text: one or several names per line, so a line of names with one
 *   typo in a one-line file, or lines of valid names separated by commas, keep working.
 * A table without a username column is refused whole, naming the columns it has, rather than importing its
 * header cells and every other cell as usernames.
 */
export function usernamesFromFile(content: string): FileUsernames {
  // A leading byte-order mark is how spreadsheet programs mark UTF-8: expected, so not counted as removed.
  const cleaned = cleanText(content.replace(/^\uFEFF/, ''));
  const lines = cleaned.text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const header = lines[0] === undefined ? [] : parseCsvLine(lines[0]);
  const column = header.findIndex((cell) => USERNAME_HEADER.test(cell));
  if (column !== -1) {
    return {
      kind: 'usernames',
      usernames: lines
        .slice(1)
        .map((line) => parseCsvLine(line)[column] ?? '')
        .filter((username) => username.length > 0),
      invisibleRemoved: cleaned.removed,
    };
  }
  const cells = header.filter((cell) => cell.length > 0);
  const isTable =
    cells.some(isKnownColumn) ||
    (lines.length > 1 && cells.length > 1 && cells.some((cell) => usernameProblem(cell, noWords) !== null));
  if (isTable) return { kind: 'no-username-column', columns: cells };
  return { kind: 'usernames', usernames: splitCleaned(cleaned.text), invisibleRemoved: cleaned.removed };
}

/** For a rule check whose words are not shown. */
const noWords: Translate = (key) => key;

/**
 * Items joined for a sentence (", " or "、"), at most `limit` of them, then "and N more" in the reader's
 * language: a message naming 600 invalid names would push the form off the screen.
 */
export function listWithMore(items: readonly string[], limit: number, t: Translate): string {
  const shown = items.slice(0, limit).join(t('usernames.listSeparator'));
  const more = items.length - limit;
  return more > 0 ? `${shown}${t('usernames.andMore', { count: more })}` : shown;
}

export interface CheckedUsername {
  username: string;
  problem: string | null;
}

export function checkUsernames(usernames: readonly string[], t: Translate): CheckedUsername[] {
  return usernames.map((username) => ({ username, problem: usernameProblem(username, t) }));
}
