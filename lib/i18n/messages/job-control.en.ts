/** English messages of cancelling and undoing a job; merged into en.ts. */
export const jobControlEn = {
  'job.status.cancelled': 'Cancelled',
  'job.undoStatus.succeeded': 'Removed from target',
  'job.undoStatus.already_present': 'Already gone from target',
  'job.undoNotRemovedByThis': 'not there when checked; not removed by this undo',

  'job.partCancelled': '{count} cancelled',
  'job.summaryCancelled': 'Job cancelled: {done} of {total} done, {parts}.',
  'history.statusCancelled': 'Cancelled',
  'history.undoOf': 'Undo of job',
  'jobPage.kindDelete': 'DeleteSmartAccessGatewayClientUser',
  'jobPage.attemptPages': 'Pages of attempts',
  'jobPage.attemptsEarlier': 'Earlier attempts',
  'jobPage.attemptsLater': 'Later attempts',
  'jobPage.attemptsPage': 'Attempts {from}–{to} of {total} (the export has them all)',
  'job.titleUndo': 'Undo job',
  'jobPage.titleUndo': 'Undo job',
  'jobControl.region': 'Cancel and undo',
  'job.jobStatus.running': 'running',
  'job.jobStatus.completed': 'completed',
  'job.jobStatus.cancelled': 'cancelled',
  'jobControl.cancel': 'Cancel job',
  'jobControl.cancelConfirm':
    'Cancel this job? No new call starts; calls already sent finish and are recorded; usernames not yet sent become “cancelled”. This cannot be resumed.',
  'jobControl.cancelConfirmButton': 'Yes, cancel the job',
  'jobControl.keepRunning': 'Keep running',
  'jobControl.cancelled_one': 'Job cancelled: {count} username was not sent.',
  'jobControl.cancelled_other': 'Job cancelled: {count} usernames were not sent.',
  'jobControl.cancelling_one':
    'Cancelling: {count} username will not be sent; the calls already sent finish and are recorded first.',
  'jobControl.cancelling_other':
    'Cancelling: {count} usernames will not be sent; the calls already sent finish and are recorded first.',
  'jobControl.cancelledBy': 'Cancelled by {actor} at {at}.',
  'jobControl.cancelRequestedBy':
    'Cancel requested by {actor} at {at}: the calls already sent finish and are recorded, nothing new starts.',

  'jobControl.undo': 'Undo this job',
  'jobControl.undoChecking': 'Counting what an undo would remove…',
  'jobControl.undoConfirm_one':
    'Delete {count} account that this job roamed from {target}? Only accounts roamed by this job’s own accepted call are removed.',
  'jobControl.undoConfirm_other':
    'Delete {count} accounts that this job roamed from {target}? Only accounts roamed by this job’s own accepted call are removed.',
  'jobControl.undoKeptWithoutCall_one':
    '{count} username found on the target after a lost answer is kept: this job cannot prove it roamed it.',
  'jobControl.undoKeptWithoutCall_other':
    '{count} usernames found on the target after a lost answer are kept: this job cannot prove it roamed them.',
  'jobControl.undoKeptRoamedAgain_one': '{count} username roamed again by a later job is kept.',
  'jobControl.undoKeptRoamedAgain_other': '{count} usernames roamed again by a later job are kept.',
  'jobControl.undoConfirmButton': 'Delete from target',
  'jobControl.undoBack': 'Back',
  'jobControl.undoStarted_one': 'Undo started: {count} account is being removed from the target.',
  'jobControl.undoStarted_other': 'Undo started: {count} accounts are being removed from the target.',
  'jobControl.undoneBy': 'Undone by job {id} ({status}).',
  'jobControl.openUndo': 'Open the undo job',
  'jobControl.undoOf': 'Undo of job {id}: deletes from {target} the accounts that job roamed.',
  'jobControl.openUndone': 'Open the job it undoes',

  'jobControl.refused.finished': 'This job has already ended: there is nothing left to cancel.',
  'jobControl.refused.cancelled': 'This job was cancelled: a cancelled job is not sent again.',
  'jobControl.refused.running':
    'This job is still running: cancel it first, or wait until it has ended, then undo it.',
  'jobControl.refused.undone': 'This job has already been undone (a job is undone once).',
  'jobControl.refused.undoOfUndo':
    'An undo cannot be undone: roam the usernames again with a new job (through the plan).',
  'jobControl.refused.nothingToUndo':
    'Nothing to undo: no account was roamed by an accepted call of this job (or a later job roamed them again).',
  'jobControl.refused.busy_one':
    'A running job is still sending {count} of these usernames to the target: wait until it ends, then undo.',
  'jobControl.refused.busy_other':
    'A running job is still sending {count} of these usernames to the target: wait until it ends, then undo.',
} as const;
