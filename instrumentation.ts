/**
 * Runs once when the Next.js server starts; the Node.js part lives in lib/server-start.ts so that nothing
 * Node-only is bundled for the Edge runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // Before the start-up, so that requests waiting for it carry their socket's address too.
    const { recordPeerAddresses } = await import('./lib/security/client-address');
    recordPeerAddresses();
    const { startServer } = await import('./lib/server-start');
    await startServer();
  }
}
