import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeJobsRepository } from './jobs.suite';

describeJobsRepository('PostgreSQL', () => openSuiteDatabase('postgres'));
