import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeJobsRepository } from './jobs.suite';

describeJobsRepository('embedded PostgreSQL', () => openSuiteDatabase('embedded'));
