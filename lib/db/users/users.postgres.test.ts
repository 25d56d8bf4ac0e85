import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeUsersStore } from './users.suite';

describeUsersStore('PostgreSQL', () => openSuiteDatabase('postgres'));
