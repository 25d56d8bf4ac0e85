import { postgresWithTwoPools } from '@/lib/testing/databases';
import { describeJobsRepository } from './jobs-repository.suite';

describeJobsRepository('PostgreSQL', postgresWithTwoPools);
