import path from 'node:path';

/** The accounts the browser tests use. The demo admin is created by the app itself in emulator mode. */
export const DEMO_ADMIN = { email: 'demo-admin@sag-roam.local', password: 'sag-roam-demo-password' };
export const OPERATOR = { email: 'operator@example.com', password: 'operator-password-e2e-1' };
export const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-e2e-01' };

const stateDir = path.join(__dirname, '..', 'test-results', '.auth');
export const storageStates = {
  admin: path.join(stateDir, 'admin.json'),
  operator: path.join(stateDir, 'operator.json'),
  viewer: path.join(stateDir, 'viewer.json'),
};

/** A fake AccessKey secret the app signs with during the run; the scan proves it never leaves the server. */
export const FAKE_SECRET = 'FakeSecretForLeakScan-3c9e71d2a8b5';
export const FAKE_ACCESS_KEY_ID = 'LTAI5tLeakScanKeyId0001';
