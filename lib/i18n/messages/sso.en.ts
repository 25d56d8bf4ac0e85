/** English messages of single sign-on (the identity provider's button, its failures, its accounts); merged into en.ts. */
export const ssoEn = {
  'sso.signInWith': 'Sign in with {name}',
  'sso.orLocal': 'or with a local account',
  'sso.localOnly': 'Local accounts are for break-glass admins only.',
  'sso.localForm': 'Sign in with a local admin account',
  'sso.failedTitle': 'Not signed in',
  'sso.reference': 'Reference for your admin: {reference}',
  'sso.failed.unavailable':
    '{name} could not be reached, so nobody can sign in with it just now. Try again in a moment.',
  'sso.failed.wrong-issuer':
    '{name} answered as another identity provider than the one sag-roam is configured for. Ask your admin to check OIDC_ISSUER.',
  'sso.failed.cancelled': 'The sign-in at {name} was cancelled. Nothing was changed.',
  'sso.failed.provider-error': '{name} refused the sign-in.',
  'sso.failed.expired': 'This sign-in was already used or took too long. Start again.',
  'sso.failed.state-mismatch':
    'This sign-in was started in another browser or window, so it cannot be finished here. Start again.',
  'sso.failed.invalid-response':
    'The answer of {name} failed its checks (signature, audience, issuer, expiry or nonce), so it was not trusted. Start again; if it happens again, tell your admin.',
  'sso.failed.no-email':
    '{name} gave no e-mail address for your account, which sag-roam needs to show who did what.',
  'sso.failed.no-group':
    'Your account at {name} is in none of the groups that may use sag-roam. Ask your admin to add you to one; nothing was created here.',
  'sso.failed.disabled': 'Your sag-roam account is disabled. Ask an admin to enable it.',
  'sso.failed.unexpected':
    'Signing in failed for a reason of sag-roam’s own, not of {name}. Try again; if it happens again, give your admin the reference.',
  'users.event.email_changed': 'e-mail changed',
  'users.singleSignOn': 'single sign-on',
  'users.managedByProvider': 'Role from its groups at {name}',
  'auth.managedByProvider':
    'This account signs in with {name}: its role comes from its groups there and it has no password here. You can only disable or enable it.',
};
