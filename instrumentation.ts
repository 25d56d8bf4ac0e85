/**
 * Runs once when the Next.js server starts; the Node.js part lives in lib/server-start.ts so that nothing
 * Node-only is bundled for the Edge runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServer } = await import('./lib/server-start');
    await startServer();
  }
}
