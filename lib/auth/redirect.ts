/** Where to go after signing in: only a path of this site, never another origin (no open redirect). */
export function safeReturnPath(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return '/';
  }
  try {
    const url = new URL(value, 'http://sag-roam.invalid');
    if (url.origin !== 'http://sag-roam.invalid' || url.pathname.startsWith('/sign-in')) return '/';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
}
