// How the audit log records a refused request: the outcome its kind stands for, and the answer
// the client got (status, code, reason) as the error filter gives it.
import type { DomainError } from '@sw/errors';
import { errorBody } from '@sw/http-edge';

/** A refused request as audited: 400 and 409 are `rejected` (bad input, wrong state), the rest `denied`. */
export function refusalOutcome(status: number): 'rejected' | 'denied' {
  return status === 400 || status === 409 ? 'rejected' : 'denied';
}

/** What a service's own audit row keeps of a domain refusal it is about to throw. */
export function refusalAudit(err: DomainError): { outcome: 'rejected' | 'denied'; data: { status: number; code: string | undefined; reason: string } } {
  const status = errorBody(err).statusCode;
  return { outcome: refusalOutcome(status), data: { status, code: err.code, reason: err.message } };
}
