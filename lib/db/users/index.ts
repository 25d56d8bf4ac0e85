// The users store, one file per table: accounts (users), sessions, sign-in failures and the user audit
// (user_events). Import it from here; the files behind it are its own business.
export {
  type CreateUserInput,
  countActiveAdmins,
  countUsers,
  createFirstUser,
  createUser,
  getUserByEmail,
  getUserById,
  getUserCredentialsByEmail,
  listUsers,
  type ProviderSignInInput,
  type ProviderSignInResult,
  SINGLE_SIGN_ON_ACTOR,
  setUserLocale,
  signInProviderUser,
  type UpdateUserInput,
  type UpdateUserResult,
  type User,
  updateUser,
} from './accounts';
export {
  type AuditEntry,
  listUserEvents,
  recordUserEvent,
  type UserEvent,
  type UserEventDetails,
} from './events';
export {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findSessionWithUser,
  insertSession,
  type NewSession,
  type Session,
  touchSession,
} from './sessions';
export {
  clearSignInFailures,
  countRecentFailures,
  deleteSignInFailuresBefore,
  recentFailureTimes,
  recordSignInFailure,
} from './sign-in-failures';
