/**
 * What kind of refusal an error is. Transports map kinds to their answer (HTTP status in
 * `@sw/http-edge`, an MQTT `errors` topic, a WebSocket close code); nothing here knows HTTP.
 */
export type ErrorKind =
  | 'invalid' // the input is wrong
  | 'unauthenticated' // who is asking is not known
  | 'forbidden' // the caller's role or region may not do this
  | 'not_found' // no such record, or one outside the caller's scope (docs/contracts.md §4 "Scope")
  | 'conflict' // the record's state refuses the change
  | 'rate_limited' // too many requests; `retryAfterS` says when to try again
  | 'unavailable'; // a dependency or a capacity limit; try again later

/** A refusal as a pure function returns it: the kind, a code from the domain's list, and why. */
export interface Refusal<C extends string = string, K extends ErrorKind = ErrorKind> {
  ok: false;
  kind: K;
  code: C;
  reason: string;
}

export interface DomainErrorOptions {
  /** The domain code (`alarm_closed`, `summary_stale`, …); none for a plain missing record or bad input. */
  code?: string;
  /** For `rate_limited`: seconds until a retry may succeed. */
  retryAfterS?: number;
  /** One reason per problem, answered instead of the message when there are any. */
  reasons?: readonly string[];
}

/**
 * The one error domain code throws (docs/style.md "Edges"): a kind for the transport, an optional
 * code for clients that act on it, and the message — one text, or one reason per problem.
 */
export class DomainError extends Error {
  readonly code: string | undefined;
  readonly retryAfterS: number | undefined;
  /** One reason per problem when there were several (answered as a list). */
  readonly reasons: readonly string[] | undefined;

  constructor(
    readonly kind: ErrorKind,
    message: string | readonly string[],
    options: DomainErrorOptions = {},
  ) {
    super(typeof message === 'string' ? message : message.join('; '));
    this.name = 'DomainError';
    this.code = options.code;
    this.retryAfterS = options.retryAfterS;
    const reasons = typeof message === 'string' ? options.reasons : message;
    this.reasons = reasons && reasons.length > 0 ? reasons : undefined;
  }

  /** The refusal a pure function returned, thrown. */
  static of(refusal: Omit<Refusal, 'ok'>): DomainError {
    return new DomainError(refusal.kind, refusal.reason, { code: refusal.code });
  }
}

export const invalid = (message: string | readonly string[], code?: string): DomainError => new DomainError('invalid', message, { code });
export const forbidden = (message: string, code?: string): DomainError => new DomainError('forbidden', message, { code });
export const notFound = (message: string, code?: string): DomainError => new DomainError('not_found', message, { code });
export const conflict = (message: string, code?: string): DomainError => new DomainError('conflict', message, { code });
export const unavailable = (message: string): DomainError => new DomainError('unavailable', message);
export const unauthenticated = (message: string): DomainError => new DomainError('unauthenticated', message);
export const rateLimited = (message: string, retryAfterS: number, code?: string): DomainError => new DomainError('rate_limited', message, { code, retryAfterS });
