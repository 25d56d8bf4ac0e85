// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tests included) once, with `tsc --noEmit`; the build does not
  // repeat it.
  typescript: { ignoreBuildErrors: true },
  // Loaded by Node at run time rather than bundled: PGlite (which reads an earlier version's database to copy
  // it into the embedded PostgreSQL) reads its WebAssembly files from its package,
  // the credential chain reads files and environment the way the official SDKs do, and prom-client's default
  // metrics read the process through Node's own modules (pino is external in Next.js's own list).
  serverExternalPackages: ['@electric-sql/pglite', '@alicloud/credentials', 'prom-client'],
  // The SQL migrations are read from disk at start-up.
  outputFileTracingIncludes: { '/*': ['./lib/db/migrations/**/*'] },
};

module.exports = nextConfig;
