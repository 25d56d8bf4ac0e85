import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeRunningJobsOf } from './running.suite';

describeRunningJobsOf('PostgreSQL', () => openSuiteDatabase('postgres'));
