/**
 * Recognising our own error classes across server bundles. `instanceof` is not enough: Next.js may bundle a
 * module into several server chunks (instrumentation, route handlers, server actions), each with its own copy of
 * the class, while the runtime (client, worker, database) is created once by whichever chunk came first. An
 * error thrown by one copy is then not an instance of another copy's class; a mark under a global symbol is.
 */
const KIND = Symbol.for('sag-roam.error-kind');

/** Marks `error` as being of `kind`; call it in the constructor. */
export function markErrorKind(error: Error, kind: string): void {
  Object.defineProperty(error, KIND, { value: kind, enumerable: false });
}

/** Whether `value` is an error marked as `kind` by any copy of its class. */
export function hasErrorKind(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { [KIND]?: unknown })[KIND] === kind;
}
