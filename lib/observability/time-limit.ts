/** Raised by withTimeout when the work did not settle in time. */
export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`no answer within ${limitMs} ms`);
    this.name = 'TimeLimitError';
  }
}

/**
 * The work's result, or a TimeLimitError after `limitMs`. The work itself goes on (a database query cannot
 * be taken back from here); only the caller stops waiting, which is what a probe or a scrape needs.
 */
export function withTimeout<T>(work: Promise<T>, limitMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(limitMs)), limitMs);
    timer.unref?.();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
