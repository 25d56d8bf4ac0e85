import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeJobChanges } from './changes.suite';

describeJobChanges('embedded PostgreSQL', () => openSuiteDatabase('embedded'));
