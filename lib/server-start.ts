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
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sag-roam cannot start. ${error.message}`);
    } else {
      console.error(`sag-roam cannot start: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exit(1);
  }
}
