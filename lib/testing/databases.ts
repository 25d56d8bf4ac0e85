import { openSuiteDatabase, type SuiteDatabase } from './suite-database';

/**
 * @deprecated Call `openSuiteDatabase('postgres')` from ./suite-database. Kept only until the jobs store's
 * suite moves to it; delete this file with its last importer.
 */
export function postgresWithTwoPools(): Promise<SuiteDatabase> {
  return openSuiteDatabase('postgres');
}
