'use client';

import { type ComponentType, lazy, Suspense } from 'react';

/**
 * Code the first screen does not run, loaded when it is needed rather than with the page. `preload()` starts
 * the load early (idle time, or the step before the one that needs it); once the module is in, its components
 * render at once, with no empty frame. Until then they render nothing (a job, a plan: what they show comes
 * after an action) and React shows them as soon as the code arrives; on the server they render in full.
 *
 * Plain React.lazy rather than next/dynamic, which brings its own loader into the page's first load.
 */
export interface OnDemand<Module> {
  /** Starts loading (once); resolves with the module. */
  preload: () => Promise<Module>;
  /** A component of the module, as a component of this one. */
  component: <Props extends object>(pick: (module: Module) => ComponentType<Props>) => ComponentType<Props>;
}

export function onDemand<Module>(load: () => Promise<Module>): OnDemand<Module> {
  let loaded: { module: Module } | null = null;
  let pending: Promise<Module> | null = null;
  const preload = () => {
    pending ??= load().then(
      (module) => {
        loaded = { module };
        return module;
      },
      (error: unknown) => {
        // A failed load (the network) is tried again by the next render or preload.
        pending = null;
        throw error;
      },
    );
    return pending;
  };
  return {
    preload,
    component<Props extends object>(pick: (module: Module) => ComponentType<Props>) {
      const Lazy = lazy<ComponentType<Props>>(() => {
        const done = loaded;
        // Already loaded: a thenable that resolves at once, so React renders without suspending.
        if (done) {
          const now = {
            // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose (React.lazy takes one).
            then: (resolve: (value: { default: ComponentType<Props> }) => void) =>
              resolve({ default: pick(done.module) }),
          };
          return now as unknown as Promise<{ default: ComponentType<Props> }>;
        }
        return preload().then((module) => ({ default: pick(module) }));
      });
      // biome-ignore lint/correctness/noComponentHookFactories: made once per component, at module level.
      function Loaded(props: Props) {
        return (
          <Suspense fallback={null}>
            <Lazy {...props} />
          </Suspense>
        );
      }
      return Loaded;
    },
  };
}

/** Runs `start` when the browser is idle (soon after the page has hydrated), at most once per mount. */
export function whenIdle(start: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(start, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(start, 200);
  return () => window.clearTimeout(handle);
}
