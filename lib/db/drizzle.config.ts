// Regenerate migrations after editing schema.ts (run from the repository root):
//   npx drizzle-kit generate --config lib/db/drizzle.config.ts --name <what-changed>
// The same SQL folder is applied by openDatabase() on PGlite and on PostgreSQL.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema.ts',
  out: './lib/db/migrations',
  strict: true,
  verbose: true,
});
