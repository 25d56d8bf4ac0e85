import type { Translate } from '@/lib/i18n/translate';
import { usernameProblem } from './username-rules';

/**
 * Turning what an admin pastes or uploads into a clean list of usernames. No directive: used by the form in
 * the browser and by tests.
 */

const SEPARATORS = /[\s,;，；]+/u;

/** Splits pasted text on newlines, commas, semicolons and spaces (ASCII and full-width), dropping empty parts. */
export function splitUsernames(text: string): string[] {
  return text
    .split(SEPARATORS)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
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
 * Usernames from an uploaded CSV or text file. A CSV with a header row naming a username column (for example
 * an export of the console's client accounts: `UserName,UserMail,...`) contributes that column only; any other
 * file is read like pasted text.
 */
export function usernamesFromFile(content: string): string[] {
  const text = content.replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const header = lines[0] === undefined ? [] : parseCsvLine(lines[0]);
  const column = header.findIndex((cell) => USERNAME_HEADER.test(cell));
  if (column === -1) return splitUsernames(text);
  return lines
    .slice(1)
    .map((line) => parseCsvLine(line)[column] ?? '')
    .filter((username) => username.length > 0);
}

export interface CheckedUsername {
  username: string;
  problem: string | null;
}

export function checkUsernames(usernames: readonly string[], t: Translate): CheckedUsername[] {
  return usernames.map((username) => ({ username, problem: usernameProblem(username, t) }));
}
