import { openSuiteDatabase } from '@/lib/testing/suite-database';
import { describeHistory } from './history.suite';

describeHistory('PostgreSQL', () => openSuiteDatabase('postgres'));
