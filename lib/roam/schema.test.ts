import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/messages/en';
import { zhCN } from '@/lib/i18n/messages/zh-CN';
import { createTranslator } from '@/lib/i18n/translate';
import { createRoamJobSchema, usernameProblem as problemIn, usernameListProblems } from './schema';

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

  it('names every invalid name with its rule, not only the first, in one message', () => {
    expect(
      fieldErrors({ ...valid, usernames: ['alice.chen@example.com', 'bad!', 'john smith', '_under_score'] })
        .usernames,
    ).toEqual([
      '3 usernames are not valid: "bad!" (too short: at least 7 characters), "john smith" (only letters, digits and _ @ . - are allowed), "_under_score" (must start with a letter or a digit)',
    ]);
  });

  it('quotes at most 5 names and says how many more there are', () => {
    const broken = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'];
    expect(usernameListProblems(broken, t)).toBe(
      '8 usernames are not valid: "a1" (too short: at least 7 characters), "b2" (too short: at least 7 characters), "c3" (too short: at least 7 characters), "d4" (too short: at least 7 characters), "e5" (too short: at least 7 characters) and 3 more',
    );
  });

  it('names every repeated name, and says both when names are invalid and repeated', () => {
    expect(usernameListProblems(['user0001', 'user0002', 'user0001', 'user0002', 'user0002'], t)).toBe(
      '2 usernames are listed more than once: "user0001", "user0002"',
    );
    expect(usernameListProblems(['user0003', 'user0003', 'user0003'], t)).toBe(
      '"user0003" is listed 3 times',
    );
    expect(usernameListProblems(['bad!', 'user0004', 'user0004'], t)).toBe(
      '"bad!" is not a valid username: too short: at least 7 characters. "user0004" is listed twice',
    );
    expect(usernameListProblems(['user0005', 'user0006'], t)).toBeNull();
  });

  it('refuses payloads of the wrong shape', () => {
    expect(roamJobSchema.safeParse(null).success).toBe(false);
    expect(roamJobSchema.safeParse({ ...valid, usernames: 'alice' }).success).toBe(false);
    expect(roamJobSchema.safeParse({ ...valid, usernames: [42] }).success).toBe(false);
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
    expect(messages({ ...valid, usernames: ['bad!', 'john smith', 'user0001', 'user0001'] })).toEqual([
      '2 个用户名无效：“bad!”（太短：至少 7 个字符）、“john smith”（只能包含字母、数字和 _ @ . -）。“user0001”出现了两次',
    ]);
    expect(messages({ ...valid, usernames: ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7'] })).toEqual([
      '7 个用户名无效：“a1”（太短：至少 7 个字符）、“b2”（太短：至少 7 个字符）、“c3”（太短：至少 7 个字符）、“d4”（太短：至少 7 个字符）、“e5”（太短：至少 7 个字符），另有 2 个',
    ]);
    expect(messages({ ...valid, usernames: ['user0002', 'user0003', 'user0002', 'user0003'] })).toEqual([
      '2 个用户名重复出现：“user0002”、“user0003”',
    ]);
    expect(messages({ ...valid, targetRegionId: 'cn-shanghai' })).toEqual([
      '漫游只能在两个不同地域之间进行：请选择与源地域不同的目标地域',
    ]);
  });
});
