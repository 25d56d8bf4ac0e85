import { reopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { describeJobControl } from './job-control.suite';

describeJobControl('embedded PostgreSQL', () => reopenableSuiteDatabase('embedded'));
