import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/messages/en';
import { zhCN } from '@/lib/i18n/messages/zh-CN';
import { createTranslator } from '@/lib/i18n/translate';
import {
  checkUsernames,
  listWithMore,
  mergeUsernames,
  parseUsernames,
  splitUsernames,
  usernamesFromFile,
} from './usernames';

const t = createTranslator('en', en);

/** The names a file gave, failing the test when it was refused as a table. */
function listFrom(content: string): string[] {
  const result = usernamesFromFile(content);
  if (result.kind !== 'usernames') throw new Error(`refused as a table with ${result.columns.join(', ')}`);
  return result.usernames;
}

describe('pasted usernames', () => {
  it('splits on newlines, commas, semicolons and spaces, including full-width ones', () => {
    expect(splitUsernames('alice001\nbob00002, carol003;dave0004  erin0005\r\nfrank006，grace007；')).toEqual(
      ['alice001', 'bob00002', 'carol003', 'dave0004', 'erin0005', 'frank006', 'grace007'],
    );
    expect(splitUsernames('alice001\tbob00002\u3000carol003')).toEqual(['alice001', 'bob00002', 'carol003']);
  });

  it('splits on the ideographic comma 、', () => {
    expect(splitUsernames('alice001、bob00002、 carol003')).toEqual(['alice001', 'bob00002', 'carol003']);
  });

  it('turns full-width letters and digits into the ASCII ones (NFKC)', () => {
    expect(splitUsernames('ａｌｉｃｅ０１、ＢＯＢ＿００２＠ｃｏｒｐ．ｃｏｍ')).toEqual([
      'alice01',
      'BOB_002@corp.com',
    ]);
  });

  it('removes invisible characters and counts them', () => {
    expect(parseUsernames('alice001\u200B, \u200Dbob\u00AD00002\uFEFF\ncarol\u2060003\u200E')).toEqual({
      usernames: ['alice001', 'bob00002', 'carol003'],
      invisibleRemoved: 6,
    });
    // Every kind named in the rule: joiners, bidi marks, embeddings and isolates, the word joiner, BOM, soft hyphen.
    const invisible =
      '\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2066\u2067\u2068\u2069\uFEFF\u00AD';
    expect(parseUsernames(`dave${invisible}0004`)).toEqual({
      usernames: ['dave0004'],
      invisibleRemoved: invisible.length,
    });
    expect(parseUsernames('erin0005 frank006').invisibleRemoved).toBe(0);
  });

  it('keeps a quoted name with a space inside as one name, without its quotes', () => {
    expect(splitUsernames('"john smith", alice001 “mary jane” 「li lei」\n\'single\'')).toEqual([
      'john smith',
      'alice001',
      'mary jane',
      'li lei',
      "'single'",
    ]);
    // It is then one invalid name, with the rule it breaks.
    expect(checkUsernames(splitUsernames('"john smith"'), t)).toEqual([
      { username: 'john smith', problem: 'only letters, digits and _ @ . - are allowed' },
    ]);
  });

  it('treats a quote that is not closed on its line as an ordinary character', () => {
    expect(splitUsernames('"alice001 bob00002\ncarol003"')).toEqual(['"alice001', 'bob00002', 'carol003"']);
    expect(splitUsernames('"" alice001')).toEqual(['alice001']);
  });
});

describe('merging', () => {
  it('merges without duplicates, keeping the first position', () => {
    expect(
      mergeUsernames(['a0000001', 'b0000002'], ['b0000002', 'c0000003', 'a0000001', 'c0000003']),
    ).toEqual(['a0000001', 'b0000002', 'c0000003']);
  });
});

describe('uploaded files', () => {
  it('reads the username column of a console export', () => {
    const csv =
      '\uFEFFUserName,UserMail,Bandwidth\r\n"alice.chen@corp.com",alice@corp.com,2048\r\nbob_wang01,"b@corp.com",1024\r\n';
    // The leading byte-order mark is how spreadsheets mark UTF-8: not counted as an invisible character removed.
    expect(usernamesFromFile(csv)).toEqual({
      kind: 'usernames',
      usernames: ['alice.chen@corp.com', 'bob_wang01'],
      invisibleRemoved: 0,
    });
  });

  it('recognises the username column by its usual names, in any column and any case', () => {
    for (const header of ['username', 'User Name', 'user_name', '用户名', '用户名称', 'ＵｓｅｒＮａｍｅ']) {
      expect(usernamesFromFile(`Email;${header}\na@corp.com;alice001\nb@corp.com;bob00002\n`)).toEqual({
        kind: 'usernames',
        usernames: ['alice001', 'bob00002'],
        invisibleRemoved: 0,
      });
    }
  });

  it("reads this app's own job export (a `username` column)", () => {
    expect(listFrom('job_id,username,status\r\n1,sh.emp001@corp.example.com,succeeded\r\n')).toEqual([
      'sh.emp001@corp.example.com',
    ]);
  });

  it('cleans the names of a column like pasted ones', () => {
    expect(usernamesFromFile('UserName\nａｌｉｃｅ００１\u200B\n"john smith"\n')).toEqual({
      kind: 'usernames',
      usernames: ['alice001', 'john smith'],
      invisibleRemoved: 1,
    });
  });

  it('refuses a table without a username column, naming the columns it has', () => {
    expect(usernamesFromFile('Email,Status,Phone\r\na@corp.com,active,123\r\n')).toEqual({
      kind: 'no-username-column',
      columns: ['Email', 'Status', 'Phone'],
    });
    // One known column alone, or a header with no rows, is a table too.
    expect(usernamesFromFile('Email\na@corp.com\nb@corp.com\n')).toEqual({
      kind: 'no-username-column',
      columns: ['Email'],
    });
    expect(usernamesFromFile('邮箱\t状态\n')).toEqual({
      kind: 'no-username-column',
      columns: ['邮箱', '状态'],
    });
    // A header of unknown words is told by a cell no username could be.
    expect(usernamesFromFile('Login ID;Office\nalice001;Shanghai\n')).toEqual({
      kind: 'no-username-column',
      columns: ['Login ID', 'Office'],
    });
  });

  it('says the refusal with the columns named, in both languages', () => {
    const columns = ['Email', 'Status', 'Phone'];
    expect(t('usernames.noUsernameColumn', { count: 3, columns: listWithMore(columns, 8, t) })).toBe(
      'This file has the columns Email, Status, Phone but no UserName column; add one or paste the names. Nothing was added.',
    );
    const zh = createTranslator('zh-CN', zhCN);
    expect(zh('usernames.noUsernameColumn', { count: 3, columns: listWithMore(columns, 8, zh) })).toBe(
      '此文件有 Email、Status、Phone 列，但没有 UserName 列；请添加该列，或直接粘贴用户名。未添加任何用户名。',
    );
  });

  it('keeps reading plain lists of names: one or several per line', () => {
    expect(listFrom('alice001\nbob00002\n\ncarol003\n')).toEqual(['alice001', 'bob00002', 'carol003']);
    expect(listFrom('alice001, bob00002\ncarol003;dave0004 erin0005\n')).toEqual([
      'alice001',
      'bob00002',
      'carol003',
      'dave0004',
      'erin0005',
    ]);
    // One line of names with a typo is still a list: a header alone, with no rows, is told by its words only.
    expect(listFrom('alice001,bad!,carol003\n')).toEqual(['alice001', 'bad!', 'carol003']);
    // Names separated by spaces or 、 are one cell per line: never a header.
    expect(listFrom('alice001 bo!\ncarol003、dave0004\n')).toEqual([
      'alice001',
      'bo!',
      'carol003',
      'dave0004',
    ]);
    expect(usernamesFromFile('')).toEqual({ kind: 'usernames', usernames: [], invisibleRemoved: 0 });
  });
});

describe('lists in a sentence', () => {
  it('joins at most the limit and says how many more, in both languages', () => {
    expect(listWithMore(['a', 'b', 'c'], 5, t)).toBe('a, b, c');
    expect(listWithMore(['a', 'b', 'c', 'd'], 2, t)).toBe('a, b and 2 more');
    expect(listWithMore(['a', 'b', 'c', 'd'], 2, createTranslator('zh-CN', zhCN))).toBe('a、b，另有 2 个');
  });
});

describe('checking', () => {
  it('marks each invalid name with the rule it breaks', () => {
    expect(checkUsernames(['alice001', 'x'], t)).toEqual([
      { username: 'alice001', problem: null },
      { username: 'x', problem: 'too short: at least 7 characters' },
    ]);
  });
});
