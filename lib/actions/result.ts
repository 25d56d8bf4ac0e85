/**
 * The one result shape every server action returns. Expected failures carry a message written for a network
 * admin (and per-field messages for form input); unexpected ones carry a generic message and a reference id
 * that points to the server log line with the details.
 */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      formError: string;
      fieldErrors?: Record<string, string[]>;
      reference?: string;
      /** Where to look: a page of this app that the failure is about. */
      link?: ActionLink;
      /** 401: not signed in (or the session ended); 403: signed in with a role that does not allow it. */
      status?: 401 | 403;
    };

/** A link to a page of this app (a path, never another origin). */
export interface ActionLink {
  href: string;
  label: string;
}
