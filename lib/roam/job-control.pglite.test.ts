import { reopenableSuiteDatabase } from '@/lib/testing/suite-database';
import { describeJobControl } from './job-control.suite';

describeJobControl('PGlite', () => reopenableSuiteDatabase('pglite'));
