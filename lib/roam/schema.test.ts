import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/messages/en';
import { zhCN } from '@/lib/i18n/messages/zh-CN';
import { createTranslator } from '@/lib/i18n/translate';
import { createRoamJobSchema, usernameProblem as problemIn } from './schema';
import { checkUsernames, mergeUsernames, splitUsernames, usernamesFromFile } from './usernames';

const t = createTranslator('en', en);
const roamJobSchema = createRoamJobSchema(1000, t);
const usernameProblem = (username: string) => problemIn(username, t);

const valid = {
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-m9uhqekwnqcnyy1234',
  targetRegionId: 'cn-hongkong',
  targetInstanceId: 'sag-hk0000000000000001',
  usernames: ['alice.chen@example.com', 'bob_1234'],
};

function fieldErrors(input: unknown, schema = roamJobSchema) {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '');
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  return errors;
}

describe('username rules', () => {
  it.each([
    ['alice.chen@example.com', null],
    ['a234567', null],
    ['9starts-with-digit', null],
    ['a'.repeat(33), null],
    ['abc', 'too short: at least 7 characters'],
    ['a'.repeat(34), 'too long: at most 33 characters'],
    ['bad name!', 'only letters, digits and _ @ . - are allowed'],
    ['张三丰zhangsanfeng', 'only letters, digits and _ @ . - are allowed'],
    ['_leading_underscore', 'must start with a letter or a digit'],
    ['.dotfirst.user', 'must start with a letter or a digit'],
  ])('%s → %s', (username, problem) => {
    expect(usernameProblem(username)).toBe(problem);
  });
});

describe('the roam job schema', () => {
  it('accepts a valid job and trims IDs', () => {
    const parsed = roamJobSchema.parse({ ...valid, originRegionId: ' cn-shanghai ' });
    expect(parsed.originRegionId).toBe('cn-shanghai');
  });

  it('names the field of each problem', () => {
    expect(
      fieldErrors({
        originRegionId: 'Shanghai',
        originInstanceId: 'i-123',
        targetRegionId: '',
        targetInstanceId: 'sag-m9uhqekwnqcnyy1234',
        usernames: [],
      }),
    ).toEqual({
      originRegionId: ['The origin region ID looks like cn-shanghai or ap-southeast-1'],
      originInstanceId: ['The origin instance ID looks like sag-m9uhqekwnqcnyy1234'],
      targetRegionId: [
        'Choose the target region',
        'The target region ID looks like cn-shanghai or ap-southeast-1',
      ],
      usernames: ['Enter at least one username'],
    });
  });

  it('refuses the same region or the same instance on both sides', () => {
    expect(fieldErrors({ ...valid, targetRegionId: 'cn-shanghai' }).targetRegionId?.[0]).toMatch(
      /two different regions/,
    );
    expect(fieldErrors({ ...valid, targetInstanceId: valid.originInstanceId }).targetInstanceId?.[0]).toMatch(
      /must differ/,
    );
  });

  it('refuses invalid and repeated usernames and a list over the limit', () => {
    expect(fieldErrors({ ...valid, usernames: ['alice.chen@example.com', 'bad!'] }).usernames).toEqual([
      '"bad!" is not a valid username: too short: at least 7 characters',
    ]);
    expect(fieldErrors({ ...valid, usernames: ['bob_1234', 'bob_1234'] }).usernames).toEqual([
      '"bob_1234" is listed twice',
    ]);
    expect(
      fieldErrors({ ...valid, usernames: ['user0001', 'user0002', 'user0003'] }, createRoamJobSchema(2, t)),
    ).toEqual({ usernames: ['At most 2 usernames in one job; split the list into several jobs'] });
  });

  it('refuses payloads of the wrong shape', () => {
    expect(roamJobSchema.safeParse(null).success).toBe(false);
    expect(roamJobSchema.safeParse({ ...valid, usernames: 'alice' }).success).toBe(false);
    expect(roamJobSchema.safeParse({ ...valid, usernames: [42] }).success).toBe(false);
  });
});

describe('pasted and uploaded usernames', () => {
  it('splits on newlines, commas, semicolons and spaces, including full-width ones', () => {
    expect(splitUsernames('alice001\nbob00002, carol003;dave0004  erin0005\r\nfrank006，grace007；')).toEqual(
      ['alice001', 'bob00002', 'carol003', 'dave0004', 'erin0005', 'frank006', 'grace007'],
    );
  });

  it('merges without duplicates, keeping the first position', () => {
    expect(
      mergeUsernames(['a0000001', 'b0000002'], ['b0000002', 'c0000003', 'a0000001', 'c0000003']),
    ).toEqual(['a0000001', 'b0000002', 'c0000003']);
  });

  it('reads the username column of a CSV export and plain text files', () => {
    const csv =
      '\uFEFFUserName,UserMail,Bandwidth\r\n"alice.chen@corp.com",alice@corp.com,2048\r\nbob_wang01,"b@corp.com",1024\r\n';
    expect(usernamesFromFile(csv)).toEqual(['alice.chen@corp.com', 'bob_wang01']);
    expect(usernamesFromFile('alice001\nbob00002\n\ncarol003\n')).toEqual([
      'alice001',
      'bob00002',
      'carol003',
    ]);
    expect(usernamesFromFile('')).toEqual([]);
  });

  it('marks each invalid name with the rule it breaks', () => {
    expect(checkUsernames(['alice001', 'x'], t)).toEqual([
      { username: 'alice001', problem: null },
      { username: 'x', problem: 'too short: at least 7 characters' },
    ]);
  });
});

describe('in Chinese', () => {
  it('gives the same checks with Chinese messages', () => {
    const schema = createRoamJobSchema(1000, createTranslator('zh-CN', zhCN));
    const messages = (input: unknown) => {
      const result = schema.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => issue.message);
    };
    expect(messages({ ...valid, usernames: ['bad!'] })).toEqual([
      '“bad!”不是有效的用户名：太短：至少 7 个字符',
    ]);
    expect(messages({ ...valid, targetRegionId: 'cn-shanghai' })).toEqual([
      '漫游只能在两个不同地域之间进行：请选择与源地域不同的目标地域',
    ]);
  });
});
