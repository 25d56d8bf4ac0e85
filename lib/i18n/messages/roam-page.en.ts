/** English messages of the roam page around the form: running jobs, the outcome column; merged into en.ts. */
export const roamPageEn = {
  'roamPage.runningTitle': 'Your running jobs',
  'roamPage.runningNone': 'None of your jobs is running.',
  'roamPage.runningRow': '{done} of {total} done',
  'roamPage.runningOpen': 'Open job {id}',
  'roamPage.runningMore_one': 'Only your newest running job is listed; history has them all.',
  'roamPage.runningMore_other': 'Only your {count} newest running jobs are listed; history has them all.',
  'roamPage.runningHistory': 'All running jobs in history',
  'roamPage.outcomeTitle': 'Plan and progress',
  'roamPage.outcomeHint':
    'Choose the origin and target, add usernames and press Roam: the plan shows here before anything is sent, then the job’s progress.',
  'roamPage.jobRegion': 'The job just started',
  'roamPage.againNotice_one':
    'The username of job {id} that was missing on the target when it was verified. Check the plan, then roam it again.',
  'roamPage.againNotice_other':
    'The {count} usernames of job {id} that were missing on the target when it was verified. Check the plan, then roam them again.',
  'roamPage.againNone': 'Job {id} has no username missing on the target to roam again.',
};
