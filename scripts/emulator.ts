// `npm run emulator`: the SAG emulator alone, on 127.0.0.1, until SIGINT or SIGTERM. It prints its instances and
// the variables that point sag-roam at it. Its accounts live in memory unless `-- --state-dir <dir>` is given.
// Runs under `tsx --conditions=react-server`: its settings are read by lib/config.ts, a server-only module.
import type { EmulatorConfig } from '../lib/config';
import { type Emulator, startEmulator } from '../lib/emulator/index';

async function main(): Promise<void> {
  try {
    // Resolves to an empty module only under the react-server condition; otherwise it throws.
    await import('server-only');
  } catch {
    console.error(
      'SAG emulator not started: lib/config.ts is server-only and needs `tsx --conditions=react-server`; run `npm run emulator`.',
    );
    process.exit(2);
  }
  const { parseEmulatorConfig } = await import('../lib/config');
  const { notStartedMessage, parseEmulatorArguments, startBanner } = await import(
    '../lib/emulator/cli-config'
  );

  let config: EmulatorConfig;
  let emulator: Emulator;
  try {
    config = parseEmulatorConfig(process.env);
    const { stateDir } = parseEmulatorArguments(process.argv.slice(2));
    emulator = await startEmulator({
      port: config.port,
      accessKeys: [config.accessKey],
      logger: console,
      ...(stateDir === undefined ? {} : { stateDir }),
    });
  } catch (error) {
    console.error(notStartedMessage(error));
    process.exit(1);
  }
  const banner = startBanner(config, {
    url: emulator.url,
    stateDir: emulator.stateDir,
    instances: emulator.state.instances(),
  });
  for (const line of banner) console.log(line);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the SAG emulator`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('SAG emulator not started:', error);
  process.exit(1);
});
