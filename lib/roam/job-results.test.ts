import { describe, expect, it } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { createTranslator } from '@/lib/i18n/translate';
import {
  countByState,
  failureGroups,
  filterItems,
  jobOutcome,
  jobSummary,
  pageOf,
  RESULT_STATE_ORDER,
  resultStateOf,
  statusLabel,
  statusNotes,
  statusTone,
  verifyReport,
} from './job-results';
import { ITEM_STATUSES } from './lifecycle';
import type { ErrorView, JobCountsView, JobItemView } from './view-models';

const quotaFull: ErrorView = {
  code: 'ClientUser.UserOverLimit',
  title: "The target instance's account quota is full.",
  fix: 'Raise the quota or remove accounts.',
  message: 'quota',
  requestId: 'R-1',
};
const badIp: ErrorView = {
  code: 'ClientUser.InvalidClientIp',
  title: "The account's static client IP does not fit the target instance.",
  fix: 'Give the account an IP address inside the CIDR block.',
  message: 'ip',
  requestId: 'R-2',
};

function item(
  username: string,
  status: JobItemView['status'],
  extra: Partial<JobItemView> = {},
): JobItemView {
  return {
    username,
    status,
    requestId: null,
    verified: false,
    held: false,
    targetPresence: null,
    attemptCount: 0,
    error: null,
    ...extra,
  };
}

const counts = (partial: Partial<JobCountsView>): JobCountsView => ({
  total: 0,
  succeeded: 0,
  alreadyPresent: 0,
  notSent: 0,
  cancelled: 0,
  failed: 0,
  inProgress: 0,
  unknown: 0,
  ...partial,
});

describe('result states', () => {
  it('every item status counts in exactly one listed state, as the job counts do', () => {
    for (const status of ITEM_STATUSES) expect(RESULT_STATE_ORDER).toContain(resultStateOf({ status }));
    expect(resultStateOf({ status: 'pending' })).toBe('inProgress');
    expect(resultStateOf({ status: 'in_progress' })).toBe('inProgress');
    expect(resultStateOf({ status: 'already_present' })).toBe('alreadyPresent');
  });

  it('counts items per state', () => {
    const counted = countByState([
      item('a', 'succeeded'),
      item('b', 'succeeded'),
      item('c', 'failed'),
      item('d', 'pending'),
      item('e', 'in_progress'),
    ]);
    expect(counted).toMatchObject({ succeeded: 2, failed: 1, inProgress: 2, notSent: 0, unknown: 0 });
  });

  it('labels an item in words, a parked one as needing the admin, with a tone that is not only colour', () => {
    const t = createTranslator('en', MESSAGES.en);
    const job = { kind: 'roam' } as const;
    expect(statusLabel(t, job, item('a', 'succeeded'))).toBe('Succeeded');
    expect(statusLabel(t, job, item('a', 'unknown', { held: true }))).toBe('Unknown, needs you');
    expect(statusTone(item('a', 'unknown', { held: true }))).toBe('warning');
    expect(statusTone(item('a', 'failed'))).toBe('danger');
    expect(statusNotes(t, job, item('a', 'already_present'))).toEqual([
      'there before this job, not roamed by it',
    ]);
    // Each fact once: verified says present, and so does already on target.
    expect(
      statusNotes(t, job, item('a', 'succeeded', { verified: true, targetPresence: 'present' })),
    ).toEqual(['verified on target']);
    expect(statusNotes(t, job, item('a', 'already_present', { targetPresence: 'present' }))).toEqual([
      'there before this job, not roamed by it',
    ]);
    expect(statusNotes(t, job, item('a', 'failed', { targetPresence: 'present' }))).toEqual([
      'present on target',
    ]);
    expect(statusNotes(t, job, item('a', 'succeeded', { targetPresence: 'missing' }))).toEqual([
      'missing on target',
    ]);
    const zh = createTranslator('zh-CN', MESSAGES['zh-CN']);
    expect(statusLabel(zh, job, item('a', 'failed'))).toBe('失败');
    // An undo job's effect is the account gone from the target.
    const undo = { kind: 'undo' } as const;
    expect(statusLabel(t, undo, item('a', 'succeeded'))).toBe('Removed from target');
    expect(statusLabel(t, undo, item('a', 'already_present'))).toBe('Already gone from target');
    expect(statusNotes(t, undo, item('a', 'already_present'))).toEqual([
      'not there when checked; not removed by this undo',
    ]);
  });
});

describe('jobOutcome', () => {
  it('never calls a job with a failure, a username not sent or an unknown outcome a success', () => {
    const completed = (partial: Partial<JobCountsView>) =>
      jobOutcome({ status: 'completed', counts: counts(partial) });
    expect(completed({ succeeded: 30, alreadyPresent: 2 })).toBe('succeeded');
    expect(completed({ alreadyPresent: 3 })).toBe('succeeded');
    expect(completed({ succeeded: 30, failed: 1 })).toBe('partial');
    expect(completed({ succeeded: 30, notSent: 4 })).toBe('partial');
    expect(completed({ failed: 2, notSent: 1 })).toBe('failed');
    expect(completed({ succeeded: 5, unknown: 1 })).toBe('attention');
    expect(completed({ failed: 5, unknown: 1 })).toBe('attention');
  });

  it('says running while the job runs, whatever its counts so far', () => {
    expect(jobOutcome({ status: 'running', counts: counts({ succeeded: 3, failed: 2 }) })).toBe('running');
  });
});

describe('jobSummary', () => {
  const en = createTranslator('en', MESSAGES.en);
  const zh = createTranslator('zh-CN', MESSAGES['zh-CN']);
  const completed = (partial: Partial<JobCountsView>) => ({
    status: 'completed' as const,
    counts: counts({ ...partial, total: Object.values(partial).reduce((sum, value) => sum + value, 0) }),
  });

  it('states failures plainly: a job with failures or nothing done never reads as just finished', () => {
    expect(jobSummary(completed({ failed: 5 }), en)).toBe(
      'Job failed: 5 of 5 failed or not sent; 0 succeeded, 5 failed.',
    );
    expect(jobSummary(completed({ succeeded: 1, alreadyPresent: 1, failed: 1 }), en)).toBe(
      'Job finished with failures: 1 of 3 failed or not sent; 1 succeeded, 1 already on target, 1 failed.',
    );
    expect(jobSummary(completed({ succeeded: 4, notSent: 1 }), en)).toBe(
      'Job finished with failures: 1 of 5 failed or not sent; 4 succeeded, 0 failed, 1 not sent.',
    );
    expect(jobSummary(completed({ succeeded: 2, unknown: 1 }), en)).toBe(
      'Job finished with unknown outcomes: 1 of 3 unknown; 2 succeeded, 0 failed, 1 unknown.',
    );
    expect(jobSummary(completed({ failed: 5 }), zh)).toBe(
      '任务失败：5 个中有 5 个失败或未发送；0 个成功，5 个失败。',
    );
    expect(jobSummary(completed({ succeeded: 1, failed: 1 }), zh)).toBe(
      '任务已结束，有失败：2 个中有 1 个失败或未发送；1 个成功，1 个失败。',
    );
  });

  it('says a clean job finished, and a running one how far it is', () => {
    expect(jobSummary(completed({ succeeded: 30 }), en)).toBe(
      'Job finished: 30 of 30 done, 30 succeeded, 0 failed.',
    );
    expect(
      jobSummary(
        { status: 'running', counts: counts({ total: 10, succeeded: 3, failed: 1, inProgress: 6 }) },
        en,
      ),
    ).toBe('Job running: 4 of 10 done, 3 succeeded, 1 failed, 6 in progress.');
  });
});

describe('verifyReport', () => {
  const t = createTranslator('en', MESSAGES.en);
  const roam = { kind: 'roam' } as const;
  const undo = { kind: 'undo' } as const;

  it('warns about usernames missing after a roam, and offers to roam them again', () => {
    expect(verifyReport(roam, { count: 51, present: 0, missing: 51 }, 'sag-x', t)).toEqual({
      tone: 'warning',
      text: '0 of 51 usernames are on sag-x; 51 missing.',
      roamAgain: 51,
    });
    expect(verifyReport(roam, { count: 3, present: 3, missing: 0 }, 'sag-x', t)).toEqual({
      tone: 'success',
      text: 'All 3 usernames are on sag-x.',
      roamAgain: 0,
    });
    const zh = createTranslator('zh-CN', MESSAGES['zh-CN']);
    expect(verifyReport(roam, { count: 2, present: 1, missing: 1 }, 'sag-x', zh).text).toBe(
      '2 个用户名中有 1 个在 sag-x 上；1 个不存在。',
    );
  });

  it('for an undo, succeeds when every account is gone, and warns about those still there', () => {
    expect(verifyReport(undo, { count: 2, present: 0, missing: 2 }, 'sag-x', t)).toEqual({
      tone: 'success',
      text: 'None of the 2 usernames is on sag-x any more.',
      roamAgain: 0,
    });
    expect(verifyReport(undo, { count: 2, present: 1, missing: 1 }, 'sag-x', t)).toEqual({
      tone: 'warning',
      text: '1 of 2 usernames are still on sag-x; 1 gone.',
      roamAgain: 0,
    });
  });
});

describe('failureGroups', () => {
  it('groups items by error, the largest first, each explanation once, usernames in job order', () => {
    const groups = failureGroups([
      item('u1', 'succeeded'),
      item('u2', 'failed', { error: quotaFull }),
      item('u3', 'failed', { error: badIp }),
      item('u4', 'not_sent', { error: quotaFull }),
      item('u5', 'failed', { error: quotaFull }),
      item('u6', 'already_present'),
    ]);
    expect(groups.map((group) => [group.code, group.usernames, group.states])).toEqual([
      ['ClientUser.UserOverLimit', ['u2', 'u4', 'u5'], ['failed', 'notSent']],
      ['ClientUser.InvalidClientIp', ['u3'], ['failed']],
    ]);
    expect(groups[0]).toMatchObject({ title: quotaFull.title, fix: quotaFull.fix });
  });

  it('keeps one code explained two ways (refused, or maybe applied) as two groups', () => {
    const maybe = { ...badIp, title: 'The answer was lost; the target is checked.', fix: 'Wait.' };
    const groups = failureGroups([
      item('a', 'failed', { error: badIp }),
      item('b', 'unknown', { error: maybe }),
    ]);
    expect(groups).toHaveLength(2);
    expect(new Set(groups.map((group) => group.key)).size).toBe(2);
  });

  it('has no group when nothing went wrong', () => {
    expect(failureGroups([item('a', 'succeeded'), item('b', 'pending')])).toEqual([]);
  });
});

describe('filterItems', () => {
  const items = [
    item('Alice.Wong@corp.example.com', 'succeeded'),
    item('bob.li', 'failed', { error: badIp }),
    item('carol', 'pending'),
    item('ALICE2', 'failed', { error: badIp }),
  ];

  it('searches usernames case-insensitively, by any part', () => {
    expect(filterItems(items, { state: 'all', search: 'alice' }).map((i) => i.username)).toEqual([
      'Alice.Wong@corp.example.com',
      'ALICE2',
    ]);
    expect(filterItems(items, { state: 'all', search: '  WONG@corp ' })).toHaveLength(1);
    expect(filterItems(items, { state: 'all', search: '' })).toHaveLength(4);
    expect(filterItems(items, { state: 'all', search: 'nobody' })).toEqual([]);
  });

  it('filters by state, and by state and search together', () => {
    expect(filterItems(items, { state: 'failed', search: '' }).map((i) => i.username)).toEqual([
      'bob.li',
      'ALICE2',
    ]);
    expect(filterItems(items, { state: 'failed', search: 'alice' }).map((i) => i.username)).toEqual([
      'ALICE2',
    ]);
    expect(filterItems(items, { state: 'inProgress', search: '' }).map((i) => i.username)).toEqual(['carol']);
  });
});

describe('pageOf', () => {
  const numbers = Array.from({ length: 2_000 }, (_, index) => index + 1);

  it('cuts 2,000 items into pages of 50', () => {
    const first = pageOf(numbers, 1, 50);
    expect(first).toMatchObject({ page: 1, pageCount: 40, from: 1, to: 50, total: 2_000 });
    expect(first.items).toHaveLength(50);
    const last = pageOf(numbers, 40, 50);
    expect(last).toMatchObject({ from: 1_951, to: 2_000 });
    expect(pageOf(numbers.slice(0, 101), 3, 50)).toMatchObject({ from: 101, to: 101, pageCount: 3 });
  });

  it('shows the last page when the one asked for is past the end, and the first for nonsense', () => {
    expect(pageOf(numbers.slice(0, 60), 9, 50)).toMatchObject({ page: 2, from: 51, to: 60 });
    expect(pageOf(numbers, 0, 50).page).toBe(1);
    expect(pageOf(numbers, Number.NaN, 50).page).toBe(1);
  });

  it('has one empty page for no items', () => {
    expect(pageOf([], 1, 50)).toEqual({ items: [], page: 1, pageCount: 1, from: 0, to: 0, total: 0 });
  });
});
