/**
 * A job's results at a glance, as pure functions over its view (no React, no I/O): which state each item
 * counts in, how the job ended as a whole, the failures grouped by their error, and the filtered, searched
 * and paged rows of the items table. Shared by the job view and the history list.
 */
import type { Translate, TranslationKey } from '@/lib/i18n/translate';
import { countOf } from './lifecycle';
import type { JobCountsView, JobHeaderView, JobItemView, JobStatus } from './view-models';

/** The state an item is counted in: lifecycle.countOf's groups (pending and sending are "in progress"). */
export type ResultState = ReturnType<typeof countOf>;

/**
 * Every result state, finals first, in the order the view lists them; with the label and the tone of its
 * badge. A new state is one line here (the type checker asks for it).
 */
export const RESULT_STATES = {
  succeeded: { label: 'job.countSucceeded', tone: 'success' },
  alreadyPresent: { label: 'job.countAlreadyPresent', tone: 'info' },
  failed: { label: 'job.countFailed', tone: 'danger' },
  notSent: { label: 'job.countNotSent', tone: 'neutral' },
  unknown: { label: 'job.countUnknown', tone: 'warning' },
  cancelled: { label: 'job.status.cancelled', tone: 'neutral' },
  inProgress: { label: 'job.countInProgress', tone: 'progress' },
} as const satisfies Record<ResultState, { label: TranslationKey; tone: Tone }>;

/** The tones of components/ui/badge.tsx (lib/ holds no React, so the union is repeated here). */
export type Tone = 'success' | 'info' | 'danger' | 'warning' | 'neutral' | 'progress';

export const RESULT_STATE_ORDER = Object.keys(RESULT_STATES) as ResultState[];

export function resultStateOf(item: Pick<JobItemView, 'status'>): ResultState {
  return countOf(item.status);
}

/** The item's status in words, as its row's badge says it. The one place an item's label is chosen. */
export function statusLabel(
  t: Translate,
  job: Pick<JobHeaderView, 'kind'>,
  item: Pick<JobItemView, 'status' | 'held'>,
): string {
  if (item.held) return t('job.status.held');
  // An undo job's effect is the account gone: "succeeded" is removed, "already present" already gone.
  if (job.kind === 'undo' && (item.status === 'succeeded' || item.status === 'already_present')) {
    return t(`job.undoStatus.${item.status}`);
  }
  return t(`job.status.${item.status}`);
}

/**
 * What the row says under the status: how sure the result is, and what the target showed when last looked at.
 * Each fact once: "verified on target" already says the account is there, and so does "already on target"
 * (found there by the plan or a check); "missing on target" is always said, as it contradicts a success.
 */
export function statusNotes(
  t: Translate,
  job: Pick<JobHeaderView, 'kind'>,
  item: Pick<JobItemView, 'status' | 'verified' | 'targetPresence'>,
): string[] {
  const notes: string[] = [];
  const verified = item.status === 'succeeded' && item.verified;
  if (verified) notes.push(t('job.verified'));
  if (item.status === 'already_present') {
    notes.push(t(job.kind === 'undo' ? 'job.undoNotRemovedByThis' : 'job.notRoamedByThisJob'));
  }
  if (item.targetPresence === 'missing') notes.push(t('job.missing'));
  else if (
    item.targetPresence === 'present' &&
    !verified &&
    !(job.kind === 'roam' && item.status === 'already_present')
  )
    notes.push(t('job.present'));
  return notes;
}

/** The tone of an item's badge: its state's, except that a parked item asks for the admin. */
export function statusTone(item: Pick<JobItemView, 'status' | 'held'>): Tone {
  return item.held ? 'warning' : RESULT_STATES[resultStateOf(item)].tone;
}

/** How many items are in each state. */
export function countByState(items: readonly Pick<JobItemView, 'status'>[]): Record<ResultState, number> {
  const counts = Object.fromEntries(RESULT_STATE_ORDER.map((state) => [state, 0])) as Record<
    ResultState,
    number
  >;
  for (const item of items) counts[resultStateOf(item)] += 1;
  return counts;
}

/**
 * How a job went as a whole, so that a job with a failure never reads as a plain success:
 * `running`; `succeeded` (every username roamed or already on the target); `attention` (outcomes still
 * unknown, parked for an admin); `failed` (not one username done); `partial` (some done, some failed or not
 * sent). A job's own status (e.g. cancelled) wins over its counts.
 */
export type JobOutcome =
  | 'running'
  | 'succeeded'
  | 'partial'
  | 'failed'
  | 'attention'
  | Exclude<JobStatus, 'running' | 'completed'>;

export function jobOutcome(job: {
  status: JobStatus;
  counts: Pick<JobCountsView, 'succeeded' | 'alreadyPresent' | 'failed' | 'notSent' | 'unknown'>;
}): JobOutcome {
  if (job.status === 'running') return 'running';
  if (job.status !== 'completed') return job.status;
  const { succeeded, alreadyPresent, failed, notSent, unknown } = job.counts;
  if (unknown > 0) return 'attention';
  if (failed + notSent === 0) return 'succeeded';
  return succeeded + alreadyPresent === 0 ? 'failed' : 'partial';
}

export const JOB_OUTCOMES = {
  running: { label: 'jobResults.outcome.running', tone: 'progress' },
  succeeded: { label: 'jobResults.outcome.succeeded', tone: 'success' },
  partial: { label: 'jobResults.outcome.partial', tone: 'danger' },
  failed: { label: 'jobResults.outcome.failed', tone: 'danger' },
  attention: { label: 'jobResults.outcome.attention', tone: 'warning' },
  cancelled: { label: 'jobResults.outcome.cancelled', tone: 'neutral' },
} as const satisfies Record<JobOutcome, { label: TranslationKey; tone: Tone }>;

/** Items with a final outcome: roamed, found on the target before, refused, or never sent. */
export function doneCount(counts: JobCountsView): number {
  return counts.succeeded + counts.alreadyPresent + counts.failed + counts.notSent + counts.cancelled;
}

/**
 * The job's result in one sentence, as its live region says it: the headline says how it went (a job with
 * failures never reads as a plain "finished"), then the count of each state.
 */
export function jobSummary(job: Pick<JobHeaderView, 'status' | 'counts'>, t: Translate): string {
  const { counts } = job;
  const parts = [t('job.partSucceeded', { count: counts.succeeded })];
  if (counts.alreadyPresent) parts.push(t('job.partAlreadyPresent', { count: counts.alreadyPresent }));
  parts.push(t('job.partFailed', { count: counts.failed }));
  if (counts.notSent) parts.push(t('job.partNotSent', { count: counts.notSent }));
  if (counts.cancelled) parts.push(t('job.partCancelled', { count: counts.cancelled }));
  if (counts.inProgress) parts.push(t('job.partInProgress', { count: counts.inProgress }));
  if (counts.unknown) parts.push(t('job.partUnknown', { count: counts.unknown }));
  const headline = {
    running: 'job.summaryRunning',
    succeeded: 'job.summaryFinished',
    partial: 'jobResults.summaryPartial',
    failed: 'jobResults.summaryFailed',
    attention: 'jobResults.summaryAttention',
    cancelled: 'job.summaryCancelled',
  } as const satisfies Record<JobOutcome, TranslationKey>;
  return t(headline[jobOutcome(job)], {
    done: doneCount(counts),
    total: counts.total,
    problems: counts.failed + counts.notSent,
    unknown: counts.unknown,
    parts: parts.join(t('job.partSeparator')),
  });
}

/** What "Verify on target" found, as the job view says it. */
export interface VerifyReport {
  /** `warning` when the target lacks what the job should have left there (or still has what an undo removes). */
  tone: 'success' | 'warning';
  text: string;
  /** For a roam job with usernames missing on the target: how many, to roam again (through the plan). */
  roamAgain: number;
}

/**
 * A verify's answer in the reader's language, from its counts (so a language switch says it again). For a roam
 * job every username should be on the target; for an undo job none should.
 */
export function verifyReport(
  job: Pick<JobHeaderView, 'kind'>,
  found: { count: number; present: number; missing: number },
  instance: string,
  t: Translate,
): VerifyReport {
  const values = { ...found, instance };
  if (job.kind === 'undo') {
    return found.present === 0
      ? { tone: 'success', text: t('jobResults.verifiedUndoAllGone', values), roamAgain: 0 }
      : { tone: 'warning', text: t('jobResults.verifiedUndoStillThere', values), roamAgain: 0 };
  }
  return found.missing === 0
    ? { tone: 'success', text: t('jobResults.verifiedAll', values), roamAgain: 0 }
    : { tone: 'warning', text: t('jobResults.verifiedMissing', values), roamAgain: found.missing };
}

/** Items that share one error: its code and the explanation shown once for all of them. */
export interface FailureGroup {
  /** Stable across polls: the code and the explanation (one code may be explained two ways). */
  key: string;
  code: string;
  title: string;
  fix: string;
  /** The states its items are in (e.g. failed, or not sent when the same answer stopped the job). */
  states: ResultState[];
  usernames: string[];
}

/**
 * Items with an error, grouped by code and explanation, the largest group first (then by code); usernames in
 * the job's order. Items without an error (succeeded, already on target, in progress) are in no group.
 */
export function failureGroups(
  items: readonly Pick<JobItemView, 'username' | 'status' | 'error'>[],
): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const item of items) {
    if (!item.error) continue;
    const { code, title, fix } = item.error;
    const key = `${code}\u0000${title}\u0000${fix}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, code, title, fix, states: [], usernames: [] };
      groups.set(key, group);
    }
    const state = resultStateOf(item);
    if (!group.states.includes(state)) group.states.push(state);
    group.usernames.push(item.username);
  }
  for (const group of groups.values()) {
    group.states.sort((a, b) => RESULT_STATE_ORDER.indexOf(a) - RESULT_STATE_ORDER.indexOf(b));
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.usernames.length - a.usernames.length || a.code.localeCompare(b.code) || a.key.localeCompare(b.key),
  );
}

export interface ItemFilter {
  /** `all`, or one result state. */
  state: ResultState | 'all';
  /** A part of the username, any case; blank matches every username. */
  search: string;
}

/** The items that pass the filter, in the job's order. */
export function filterItems<Item extends Pick<JobItemView, 'username' | 'status'>>(
  items: readonly Item[],
  filter: ItemFilter,
): Item[] {
  const needle = filter.search.trim().toLocaleLowerCase();
  return items.filter(
    (item) =>
      (filter.state === 'all' || resultStateOf(item) === filter.state) &&
      (needle === '' || item.username.toLocaleLowerCase().includes(needle)),
  );
}

export const PAGE_SIZES = [50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export interface ItemPage<Item> {
  items: Item[];
  /** From 1; the page asked for, kept within 1 and `pageCount`. */
  page: number;
  pageCount: number;
  /** Positions of the first and last item shown, from 1; 0 and 0 when there is none. */
  from: number;
  to: number;
  total: number;
}

/** One page of `items`. A page beyond the end (the list shrank under a filter) shows the last one. */
export function pageOf<Item>(items: readonly Item[], page: number, pageSize: number): ItemPage<Item> {
  const total = items.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const start = (current - 1) * pageSize;
  const shown = items.slice(start, start + pageSize);
  return {
    items: shown,
    page: current,
    pageCount,
    from: shown.length === 0 ? 0 : start + 1,
    to: start + shown.length,
    total,
  };
}
