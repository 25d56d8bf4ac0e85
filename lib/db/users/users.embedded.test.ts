import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeUsersStore } from './users.suite';

describeUsersStore('embedded PostgreSQL', () => openSuiteDatabase('embedded'));
