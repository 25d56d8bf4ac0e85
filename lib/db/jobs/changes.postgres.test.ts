import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeJobChanges } from './changes.suite';

describeJobChanges('PostgreSQL', () => openSuiteDatabase('postgres'));
