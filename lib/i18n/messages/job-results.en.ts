/** English messages of the job results part of the job view; merged into en.ts. */
export const jobResultsEn = {
  // How a job went as a whole (header of the job view, history list)
  'jobResults.outcome.running': 'Running',
  'jobResults.outcome.succeeded': 'Finished: all done',
  'jobResults.outcome.partial': 'Finished with failures',
  'jobResults.outcome.failed': 'Failed: nothing done',
  'jobResults.outcome.attention': 'Finished: outcomes unknown',
  'jobResults.outcome.cancelled': 'Cancelled',

  // The job's result in one sentence (its live region), when it did not simply finish
  'jobResults.summaryPartial':
    'Job finished with failures: {problems} of {total} failed or not sent; {parts}.',
  'jobResults.summaryFailed': 'Job failed: {problems} of {total} failed or not sent; {parts}.',
  'jobResults.summaryAttention': 'Job finished with unknown outcomes: {unknown} of {total} unknown; {parts}.',

  // What "Verify on target" found
  'jobResults.verifiedAll_one': 'The username is on {instance}.',
  'jobResults.verifiedAll_other': 'All {count} usernames are on {instance}.',
  'jobResults.verifiedMissingTitle_one': '{count} username is missing on the target',
  'jobResults.verifiedMissingTitle_other': '{count} usernames are missing on the target',
  'jobResults.verifiedMissing_one': '{present} of {count} username is on {instance}; {missing} missing.',
  'jobResults.verifiedMissing_other': '{present} of {count} usernames are on {instance}; {missing} missing.',
  'jobResults.verifiedUndoAllGone_one': 'The username is no longer on {instance}.',
  'jobResults.verifiedUndoAllGone_other': 'None of the {count} usernames is on {instance} any more.',
  'jobResults.verifiedUndoStillThere_one':
    '{present} of {count} username is still on {instance}; {missing} gone.',
  'jobResults.verifiedUndoStillThere_other':
    '{present} of {count} usernames are still on {instance}; {missing} gone.',
  'jobResults.roamAgain_one': 'Roam the missing username again',
  'jobResults.roamAgain_other': 'Roam the {count} missing usernames again',
  'jobResults.roamAgainHint':
    'Opens the roam form with them: the plan shows what would be sent before anything is.',

  // Failures grouped by cause
  'jobResults.groupsTitle': 'Failures by cause',
  'jobResults.groupCount': '{count} ×',
  'jobResults.showUsernames_one': 'Show the username',
  'jobResults.showUsernames_other': 'Show the {count} usernames',
  'jobResults.hideUsernames': 'Hide the usernames',
  'jobResults.copyUsernames_one': 'Copy the username with {code}',
  'jobResults.copyUsernames_other': 'Copy the {count} usernames with {code}',
  'jobResults.usernamesOf': 'Usernames with {code}',

  // The items table: filter, search, pages
  'jobResults.itemsTitle': 'Results per username',
  'jobResults.filterState': 'Show',
  'jobResults.filterAll': 'All ({count})',
  'jobResults.filterOption': '{state} ({count})',
  'jobResults.search': 'Search usernames',
  'jobResults.pageSize': 'Per page',
  'jobResults.showing_one': 'Showing {from}–{to} of {count} username.',
  'jobResults.showing_other': 'Showing {from}–{to} of {count} usernames.',
  'jobResults.showingFiltered_one': 'Showing {from}–{to} of {count} matching username ({total} in the job).',
  'jobResults.showingFiltered_other':
    'Showing {from}–{to} of {count} matching usernames ({total} in the job).',
  'jobResults.noMatch': 'No username matches.',
  'jobResults.showAll': 'Show all',
  'jobResults.pages': 'Result pages',
  'jobResults.previous': 'Previous page',
  'jobResults.next': 'Next page',
  'jobResults.pageOf': 'Page {page} of {pages}',

  // GET /api/jobs/[id]?since=
  'jobResults.badCursor': 'The since parameter is not a cursor this server hands out.',
  'jobResults.badCursorFix':
    'Send back the cursor of the last answer exactly as it came (a whole number), once; or leave since out to read the whole job.',
} as const;
