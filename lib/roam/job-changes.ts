/**
 * The browser's side of change-only polling: a poll answers the job's header and the items changed since the
 * cursor of the previous answer (lib/db/jobs/cursor.ts says why that never misses a row); merging them into
 * the job already shown gives the job as of the poll. Pure, so that it is tested without a browser.
 */
import type { JobChangesView, JobView } from './view-models';

/**
 * The job after a poll. Items are merged by username (unique in a job), so an item sent again replaces
 * itself; unchanged items keep their objects, so nothing re-renders for them. Null when the answer names an
 * item the job shown does not have (then only a whole read can be trusted).
 */
export function mergeJobChanges(previous: JobView, changes: JobChangesView): JobView | null {
  const { job: header, items: changed, complete } = changes;
  if (header.id !== previous.id) return null;
  if (complete) return { ...header, plan: previous.plan, items: changed };
  if (changed.length === 0) return { ...header, plan: previous.plan, items: previous.items };
  const index = new Map(previous.items.map((item, position) => [item.username, position]));
  const items = [...previous.items];
  for (const item of changed) {
    const position = index.get(item.username);
    if (position === undefined) return null;
    items[position] = item;
  }
  return { ...header, plan: previous.plan, items };
}
