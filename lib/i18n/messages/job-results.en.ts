/** English messages of the job results part of the job view; merged into en.ts. */
export const jobResultsEn = {
  // How a job went as a whole (header of the job view, history list)
  'jobResults.outcome.running': 'Running',
  'jobResults.outcome.succeeded': 'Finished: all done',
  'jobResults.outcome.partial': 'Finished with failures',
  'jobResults.outcome.failed': 'Failed: nothing done',
  'jobResults.outcome.attention': 'Finished: outcomes unknown',
  'jobResults.outcome.cancelled': 'Cancelled',

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

  // History list
  'jobResults.historyNotSent': '{count} not sent',

  // GET /api/jobs/[id]?since=
  'jobResults.badCursor': 'The since parameter is not a cursor this server hands out.',
  'jobResults.badCursorFix':
    'Send back the cursor of the last answer exactly as it came (a whole number), once; or leave since out to read the whole job.',
} as const;
