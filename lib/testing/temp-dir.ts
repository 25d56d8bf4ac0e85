// Temporary directories for a test's DATA_DIR. mkdtemp makes them 0700; run as root (CI), the embedded
// PostgreSQL runs as the `postgres` user, who must be able to enter the directory (it cannot go further
// than the cluster's own 0700 directory inside).
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function reachableTempDir(prefix: string, parent = os.tmpdir()): string {
  const directory = mkdtempSync(path.join(parent, prefix));
  chmodSync(directory, 0o755);
  return directory;
}
