import { postgresWithTwoPools } from '@/lib/testing/databases';
import { describeJobsRepository } from './jobs.suite';

describeJobsRepository('PostgreSQL', postgresWithTwoPools);
