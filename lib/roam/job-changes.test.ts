import { describe, expect, it } from 'vitest';
import { mergeJobChanges } from './job-changes';
import type { JobChangesView, JobHeaderView, JobItemView, JobView } from './view-models';

function item(username: string, status: JobItemView['status']): JobItemView {
  return {
    username,
    status,
    requestId: null,
    verified: false,
    held: false,
    targetPresence: null,
    attemptCount: 0,
    error: null,
  };
}

const header: JobHeaderView = {
  id: '11111111-1111-4111-8111-111111111111',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin@example.com',
  finishedAt: null,
  status: 'running' as const,
  mode: 'emulator',
  originRegionId: 'cn-shanghai',
  originInstanceId: 'sag-origin',
  targetRegionId: 'cn-hangzhou',
  targetInstanceId: 'sag-target',
  originInstanceName: 'origin-app',
  targetInstanceName: null,
  counts: {
    total: 3,
    succeeded: 0,
    alreadyPresent: 0,
    notSent: 0,
    cancelled: 0,
    failed: 0,
    inProgress: 3,
    unknown: 0,
  },
  stopped: null,
  kind: 'roam',
  undoesJobId: null,
  undoneBy: null,
  cancelled: null,
  cursor: '100',
};

const shown: JobView = {
  ...header,
  plan: null,
  items: [item('a', 'pending'), item('b', 'pending'), item('c', 'pending')],
};

const poll = (changes: Partial<JobChangesView> & { items: JobItemView[] }): JobChangesView => ({
  job: { ...header, cursor: '105', counts: { ...header.counts, succeeded: 1, inProgress: 2 } },
  complete: false,
  ...changes,
});

describe('mergeJobChanges', () => {
  it('replaces the changed items in place, keeps the others as they were, and takes the new header', () => {
    const merged = mergeJobChanges(shown, poll({ items: [item('b', 'succeeded')] }));
    expect(merged?.items.map((i) => [i.username, i.status])).toEqual([
      ['a', 'pending'],
      ['b', 'succeeded'],
      ['c', 'pending'],
    ]);
    expect(merged?.items[0]).toBe(shown.items[0]);
    expect(merged?.items[2]).toBe(shown.items[2]);
    expect(merged?.cursor).toBe('105');
    expect(merged?.counts.succeeded).toBe(1);
    expect(shown.items[1]?.status).toBe('pending');
  });

  it('keeps the same items array when nothing changed, so nothing is grouped or rendered again', () => {
    const merged = mergeJobChanges(shown, poll({ items: [] }));
    expect(merged?.items).toBe(shown.items);
    expect(merged?.cursor).toBe('105');
  });

  it('takes an item sent again as it is now (a repeat changes nothing)', () => {
    const once = mergeJobChanges(shown, poll({ items: [item('a', 'succeeded')] }));
    if (!once) throw new Error('expected a merge');
    const twice = mergeJobChanges(once, poll({ items: [item('a', 'succeeded')] }));
    expect(twice?.items).toEqual(once.items);
  });

  it('keeps the plan, which polls do not carry', () => {
    const withPlan = { ...shown, plan: { computedAt: 'x' } as unknown as JobView['plan'] };
    expect(mergeJobChanges(withPlan, poll({ items: [] }))?.plan).toBe(withPlan.plan);
  });

  it('takes every item as sent when the answer is complete', () => {
    const all = [item('a', 'succeeded'), item('b', 'failed'), item('c', 'succeeded')];
    expect(mergeJobChanges(shown, poll({ items: all, complete: true }))?.items).toEqual(all);
  });

  it('gives up (null: read the whole job) on an item the job shown does not have, or another job', () => {
    expect(mergeJobChanges(shown, poll({ items: [item('zzz', 'succeeded')] }))).toBeNull();
    expect(mergeJobChanges(shown, { ...poll({ items: [] }), job: { ...header, id: 'another' } })).toBeNull();
  });
});
