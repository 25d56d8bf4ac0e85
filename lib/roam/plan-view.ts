/**
 * The plan of a roam job as the browser sees it: what will happen to each username and what stands in the way,
 * computed on the server before a single call (lib/roam/plan.ts, lib/roam/planner.ts) and computed again by the
 * server action that creates the job (the browser's copy is never trusted). Types only, no directive: shared by
 * the server and the roam form.
 */

import type { TranslationKey } from '@/lib/i18n/translate';

/** Something found about the two instances. */
export type PlanFindingCode =
  /** The instance does not exist in its region (blocking). */
  | 'origin-not-found'
  | 'target-not-found'
  /** A hardware (CPE) instance: it holds no client accounts (blocking). */
  | 'origin-hardware'
  | 'target-hardware'
  /** Not active (e.g. expired or locked) (blocking). */
  | 'origin-inactive'
  | 'target-inactive'
  /** Origin and target are one instance (blocking). */
  | 'same-instance'
  /** The target has no client CIDR block (blocking). */
  | 'target-no-cidr'
  /** The private CIDR blocks of origin and target overlap (blocking). */
  | 'cidr-overlap'
  /** The target's account quota has no room at all (blocking). */
  | 'quota-full'
  /** Fewer free accounts on the target than usernames to send: only the first `fits` are sent (warning). */
  | 'quota-short'
  /** Origin and target are in one area (e.g. Mainland China): the console refuses it, the API may (warning). */
  | 'same-area'
  /**
   * A Describe call was refused (e.g. no smartag:DescribeSmartAccessGatewayClientUsers): the checks that need
   * it were not made (unknown). The admin may send anyway, without them. Also a check the answers could not
   * settle (a CIDR block that does not read as IPv4, no quota in the answer); those carry no `apiError`.
   */
  | 'not-checked';

export type PlanFindingSeverity = 'blocking' | 'warning' | 'unknown';

/** `plan.x` for every `plan.x.title` of the catalogue (lib/roam/plan-text.ts asks for its `.fix` too). */
export type PlanFindingKey = TranslationKey extends infer Key
  ? Key extends `plan.${infer Base}.title`
    ? `plan.${Base}`
    : never
  : never;

/**
 * A value of a finding's text. What reads differently in each language (an instance's label, an area's name)
 * is kept as the fact it is said from, so that every reader's language says it.
 */
export type PlanFindingValue =
  | string
  | number
  /** "name (ID)", or the ID alone when the name is not known. */
  | { instance: { name: string; id: string } }
  /** The name of the area of this region. */
  | { areaOf: string };

/** A finding's text as the catalogue's key and its values, said in the reader's language when shown. */
export interface PlanFindingText {
  key: PlanFindingKey;
  values: Record<string, PlanFindingValue>;
}

export interface PlanFinding {
  code: PlanFindingCode;
  severity: PlanFindingSeverity;
  /**
   * What was found and what to do, in the language of whoever the plan was made for (a stored plan: the one who
   * created the job). Shown as they are only when `text` is absent (a plan stored before texts were kept as
   * keys) or names a text the catalogue no longer has.
   */
  title: string;
  fix: string;
  /** The same texts, to be said in the reader's language (lib/roam/plan-text.ts). */
  text?: PlanFindingText;
  /** With `not-checked`: the API error that refused the check (code and RequestId), for a support ticket. */
  apiError?: { code: string; requestId: string | null };
}

/** What will happen to one username. */
export type PlanItemDecision =
  /** Will be sent. */
  | 'send'
  /** Already on the target: skipped, recorded as already present (not roamed by this job). */
  | 'already-on-target'
  /** Not on the origin instance: skipped, recorded with that reason. */
  | 'not-on-origin'
  /** Beyond the target's free quota: not sent. */
  | 'over-quota';

export interface PlanInstanceView {
  regionId: string;
  smartAGId: string;
  /** Empty when the instance was not found or could not be read. */
  name: string;
  status: string | null;
  /** The private CIDR block(s) as the API gives them. */
  cidrBlocks: string[];
  /**
   * The area of its region (e.g. "Mainland China"), in the language the plan was made in; shown from `regionId`
   * (lib/roam/areas.ts areaName) so that each reader's language names it.
   */
  area: string;
}

export interface PlanView {
  origin: PlanInstanceView;
  target: PlanInstanceView;
  findings: PlanFinding[];
  /** Nothing may be sent while a blocking finding stands. */
  blocked: boolean;
  /** Only unknowns and warnings stand: sending needs the admin's explicit "send anyway" for the unknowns. */
  needsConfirmationOfUnknowns: boolean;
  counts: { send: number; alreadyOnTarget: number; notOnOrigin: number; overQuota: number; total: number };
  /** Target quota: accounts in use and the quota, when both could be read. */
  quota: { used: number; quota: number; free: number } | null;
  /** Per username, in the order given. */
  items: { username: string; decision: PlanItemDecision }[];
  /** When the plan was computed (ISO), and the Describe calls it took. */
  computedAt: string;
  describeCalls: number;
}

/** What a job keeps of the plan it was created from: all but the per-username decisions (its items hold those). */
export type StoredPlan = Omit<PlanView, 'items'>;
