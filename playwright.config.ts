import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET, storageStates } from './e2e/accounts';
import { reachableTempDir } from './lib/testing/temp-dir';

/**
 * Browser tests run against a production build of the app on 127.0.0.1, in emulator mode, with a fresh data
 * directory per run. The app signs with a known fake AccessKey secret, and the server's whole output (build
 * and run) goes to a log file, so the last project can prove the secret never left the server.
 * Debian's chromium is used when present, because Playwright's own browser download is not reachable here.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const debianChromium = '/usr/bin/chromium';
// Loaded again in every worker: keep the first process's directory.
const runDir = process.env.E2E_RUN_DIR ?? reachableTempDir('sag-roam-e2e-');
process.env.E2E_RUN_DIR = runDir;
const serverLog = path.join(runDir, 'server.log');

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  outputDir: 'test-results/playwright',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: existsSync(debianChromium) ? debianChromium : undefined,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      dependencies: ['setup'],
      testIgnore: /auth\.setup\.ts|secret-scan\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], storageState: storageStates.operator },
    },
    // Last: scans the build output, every page's HTML and the server log of the whole run.
    { name: 'secret-scan', dependencies: ['chromium'], testMatch: /secret-scan\.spec\.ts/ },
  ],
  webServer: {
    command: `bash -c 'set -o pipefail; (npx next build && exec npx next start --hostname 127.0.0.1 --port ${port}) 2>&1 | tee "${serverLog}"'`,
    url: `${baseURL}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      SAG_MODE: 'emulator',
      DATA_DIR: path.join(runDir, 'data'),
      SAG_EMULATOR_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
      SAG_EMULATOR_ACCESS_KEY_SECRET: FAKE_SECRET,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      NEXT_TELEMETRY_DISABLED: '1',
      // Slow enough that a 30-username job is still running when the test reloads the page.
      ROAM_RATE_PER_SECOND: '5',
    },
  },
});
