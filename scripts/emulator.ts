// `npm run emulator`: the SAG emulator alone, on 127.0.0.1, until SIGINT or SIGTERM.
import { EmulatorConfigError, readEmulatorCliConfig } from '../lib/emulator/cli-config';
import { startEmulator } from '../lib/emulator/index';

async function main(): Promise<void> {
  const config = readEmulatorCliConfig(process.env);
  const emulator = await startEmulator({
    port: config.port,
    accessKeys: [config.accessKey],
    logger: console,
  });

  console.log(`SAG emulator (smartag 2018-03-13) listening on ${emulator.url}`);
  console.log(`  AccessKey ID:     ${config.accessKey.accessKeyId}`);
  if (config.usesDemoKey) console.log(`  AccessKey secret: ${config.accessKey.accessKeySecret} (demo pair)`);
  console.log('  Press Ctrl+C to stop.');

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
  if (error instanceof EmulatorConfigError) {
    console.error(`SAG emulator not started: ${error.message}`);
  } else if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    console.error(`SAG emulator not started: port in use (${error.message}); set SAG_EMULATOR_PORT`);
  } else {
    console.error('SAG emulator not started:', error);
  }
  process.exit(1);
});
