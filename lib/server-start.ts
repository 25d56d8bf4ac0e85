import 'server-only';
import { ConfigError, getConfig } from './config';

/**
 * Start-up of the Next.js server process. A bad configuration stops it here, with a message naming each
 * variable and what it expects, instead of failing later on the first request.
 */
export async function startServer(): Promise<void> {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sag-roam cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
