import 'server-only';
import { hasErrorKind, markErrorKind } from '@/lib/errors/kind';
import { percentEncode } from './percent-encode';

/**
 * Whether a failed call may have changed anything on Alibaba Cloud.
 * - `not_applied`: certainly not applied (the request never left, or the API answered with an error).
 * - `unknown`: the request was sent and no trustworthy answer came back; for RoamClientUser, check
 *   the target instance (DescribeSmartAccessGatewayClientUsers) before sending it again.
 */
export type SagOutcome = 'not_applied' | 'unknown';

/** What happened and what to do, written for a network admin. */
export interface AdminMessage {
  title: string;
  fix: string;
}

/**
 * Result of comparing the server's string-to-sign (echoed in a signature error) with ours.
 * `same`: we signed what the server expected, so the secret is wrong. `different`: the request was
 * signed differently. `unavailable`: the server did not echo one.
 */
export type SignatureCheck = 'same' | 'different' | 'unavailable';

export interface SagErrorDetails {
  code: string;
  message: string;
  action: string;
  outcome: SagOutcome;
  retryable: boolean;
  admin: AdminMessage;
  requestId?: string;
  hostId?: string;
  httpStatus?: number;
  recommend?: string;
  retryAfterMs?: number;
  signatureCheck?: SignatureCheck;
}

/**
 * The one error type of lib/sag. Every field is safe to log and to show: messages from the server are
 * scrubbed of credentials before they get here, and no cause object (which could hold a request) is kept.
 */
export class SagError extends Error {
  override readonly name = 'SagError';
  /** Alibaba Cloud error code, or one of ours (`SagClient.*`, see error-messages.ts). */
  readonly code: string;
  /** The API action that failed, e.g. `RoamClientUser`. */
  readonly action: string;
  readonly outcome: SagOutcome;
  /** True when sending the same request again later is safe and may succeed. */
  readonly retryable: boolean;
  readonly admin: AdminMessage;
  readonly requestId: string | undefined;
  readonly hostId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly recommend: string | undefined;
  /** Server hint (`x-acs-retry-after`) of how long to wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly signatureCheck: SignatureCheck | undefined;

  constructor(details: SagErrorDetails) {
    super(details.message);
    markErrorKind(this, 'SagError');
    this.code = details.code;
    this.action = details.action;
    this.outcome = details.outcome;
    this.retryable = details.retryable;
    this.admin = details.admin;
    this.requestId = details.requestId;
    this.hostId = details.hostId;
    this.httpStatus = details.httpStatus;
    this.recommend = details.recommend;
    this.retryAfterMs = details.retryAfterMs;
    this.signatureCheck = details.signatureCheck;
  }

  override toString(): string {
    const requestId = this.requestId ? ` (RequestId ${this.requestId})` : '';
    return `SagError [${this.code}] ${this.action}: ${this.message}${requestId}`;
  }

  toJSON(): Omit<SagErrorDetails, 'message'> & { name: string; message: string } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      action: this.action,
      outcome: this.outcome,
      retryable: this.retryable,
      admin: this.admin,
      requestId: this.requestId,
      hostId: this.hostId,
      httpStatus: this.httpStatus,
      recommend: this.recommend,
      retryAfterMs: this.retryAfterMs,
      signatureCheck: this.signatureCheck,
    };
  }
}

/** Also true for a SagError made by another server bundle's copy of this module (see lib/errors/kind.ts). */
export function isSagError(error: unknown): error is SagError {
  return hasErrorKind(error, 'SagError');
}

const REDACTED = '[redacted]';

/**
 * Removes every occurrence of the given secrets from a text, raw and percent-encoded once or twice
 * (a V2 string-to-sign carries the security token encoded twice). Short values are skipped: they
 * cannot be real secrets and would mangle the text.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    const forms = new Set([secret]);
    try {
      const once = percentEncode(secret);
      forms.add(once).add(percentEncode(once)).add(encodeURIComponent(secret));
    } catch {
      // Not well-formed Unicode: it could only have travelled raw.
    }
    for (const form of [...forms].sort((a, b) => b.length - a.length))
      result = result.split(form).join(REDACTED);
  }
  return result;
}
