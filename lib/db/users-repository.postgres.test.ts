import { postgresWithTwoPools } from '@/lib/testing/databases';
import { describeUsersRepository } from './users-repository.suite';

describeUsersRepository('PostgreSQL', postgresWithTwoPools);
