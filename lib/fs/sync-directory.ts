import { open } from 'node:fs/promises';

/**
 * Makes a rename or a new file in `directory` durable (POSIX: fsync of the directory itself). Windows
 * cannot open a directory to flush it; NTFS journals the rename itself. No directive: used by the embedded
 * database and by the emulator's state, which also runs outside the app.
 */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
