import { reopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { describeRoamWorker } from './worker.suite';

describeRoamWorker('embedded PostgreSQL', () => reopenableSuiteDatabase('embedded'));
