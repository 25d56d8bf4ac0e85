/** English messages of the history page's instance names, failures and ignored filters; merged into en.ts. */
export const historyEn = {
  'history.instanceHint': 'Part of a name or an ID, in any case',
  'history.failures': 'Only jobs with failures',
  'history.failuresHint': 'A username failed, was not sent or has an unknown outcome',
  'history.filterInstanceTooLong': 'The instance filter is at most {max} characters',
  'history.filterInstanceCharacters': 'The instance filter cannot contain control characters',
  'history.filterFailures': 'The failures filter is 1 (on) or empty (off)',
  'history.ignoredValue': '“{value}” is ignored: {reason}',
  'history.ignoredHint': 'The list is shown without them. Correct or clear the marked fields.',
  'history.usernameCount_one': '{count} username',
  'history.usernameCount_other': '{count} usernames',
  'history.byOnPhone': 'By {email}',
  'instanceLabel.historyLink': 'Jobs from or to {id}',
};
