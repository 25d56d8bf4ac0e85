import 'server-only';
import { ConfigError, getConfig } from './config';
import { getRuntime } from './runtime';

/**
 * Start-up of the Next.js server process: validate the configuration, then open the database, choose
 * Alibaba Cloud or the emulator, and start the roam worker (which resumes interrupted jobs). A bad
 * configuration stops the process here, with a message naming each variable and what it expects.
 */
export async function startServer(): Promise<void> {
  try {
    getConfig();
    await getRuntime();
    drainOnSigterm();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sag-roam cannot start. ${error.message}`);
    } else {
      console.error(`sag-roam cannot start: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exit(1);
  }
}

/** How long a shutdown waits for calls in flight to be answered and recorded. */
const DRAIN_MS = 10_000;

/**
 * SIGTERM (a rolling update, `docker stop`, systemd): stop claiming, give back the items whose call has not
 * started, let the calls in flight finish and be recorded (at most DRAIN_MS), close the database, exit 0, so
 * that nothing is lost and no other process waits for a lease. Next.js's own handler would exit at once, in
 * the middle of calls, so it is replaced.
 */
function drainOnSigterm(): void {
  process.removeAllListeners('SIGTERM');
  process.once('SIGTERM', () => {
    console.log('sag-roam: SIGTERM: stopping the roam worker; calls in flight finish and are recorded');
    void (async () => {
      try {
        const runtime = await getRuntime();
        await runtime.close({ drainMs: DRAIN_MS });
        console.log('sag-roam: stopped cleanly');
        process.exit(0);
      } catch (error) {
        console.error(`sag-roam: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      }
    })();
  });
}
