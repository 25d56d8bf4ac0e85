#!/usr/bin/env node
// `postinstall`: prepares the template of the embedded PostgreSQL database (an initdb made once, in
// node_modules/.cache/sag-roam/postgres-template), so that the app's first start copies it (a few tens of ms)
// instead of running initdb (about 1.4 s). It never fails the install: without a template the app runs initdb
// itself on its first start.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
try {
  const { tsImport } = await import('tsx/esm/api');
  const { prepareTemplate } = await tsImport(
    path.join(root, 'lib', 'db', 'embedded-postgres.ts'),
    import.meta.url,
  );
  const outcome = await prepareTemplate(root);
  console.log(
    `sag-roam: embedded database template ${outcome === 'created' ? `prepared in ${Date.now() - started} ms` : 'is current'}`,
  );
} catch (error) {
  console.warn(
    `sag-roam: the embedded database template was not prepared (${error instanceof Error ? error.message : String(error)}); ` +
      'the first start will run initdb instead',
  );
}
