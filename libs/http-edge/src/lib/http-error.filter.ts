import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, type ErrorKind } from '@sw/errors';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';

/** docs/contracts.md §4 error body. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** a domain error code, when there is one (e.g. `condition_active`) */
  code?: string;
}

/** The HTTP status of each kind of domain error (docs/contracts.md §4 "Errors", "Scope"). */
export const STATUS_OF_KIND: Record<ErrorKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

// PostgreSQL SQLSTATE codes a race or a stale reference can still raise after validation.
const PG_STATUS: Record<string, HttpStatus> = {
  '23505': HttpStatus.CONFLICT, // unique_violation
  '23503': HttpStatus.CONFLICT, // foreign_key_violation
  '23514': HttpStatus.BAD_REQUEST, // check_violation
  '22P02': HttpStatus.BAD_REQUEST, // invalid_text_representation
};

/**
 * The one place that turns errors into HTTP answers, registered in every app through
 * `HttpErrorsModule`: domain errors by kind, Nest's own exceptions (guards, pipes) as they are,
 * database races, body-parser refusals; anything else is a 500 without details.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = errorBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (res.headersSent) return;
    const retryAfter = retryAfterOf(exception);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(body.statusCode).json(body);
  }
}

/** The HTTP answer for any error (also what the audit log records as the outcome). */
export function errorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    const status = STATUS_OF_KIND[exception.kind];
    return { ...body(status, exception.reasons ? [...exception.reasons] : exception.message), ...(exception.code !== undefined && { code: exception.code }) };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string }).code ?? '';
    const status = PG_STATUS[code];
    if (status) return body(status, (exception.driverError as { detail?: string }).detail ?? exception.message);
  }
  // body-parser and friends: malformed JSON, too large, wrong charset
  const status = (exception as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return body(status, (exception as Error).message);
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
}

function retryAfterOf(exception: unknown): number | undefined {
  if (exception instanceof DomainError) return exception.retryAfterS;
  if (!(exception instanceof HttpException)) return undefined;
  const retryAfter = (exception.getResponse() as { retryAfter?: unknown }).retryAfter;
  return typeof retryAfter === 'number' ? retryAfter : undefined;
}

function fromHttpException(e: HttpException): ErrorBody {
  const status = e.getStatus();
  const response = e.getResponse();
  if (typeof response === 'string') return body(status, response);
  const r = response as { message?: unknown; error?: unknown; code?: unknown };
  const message = typeof r.message === 'string' || Array.isArray(r.message) ? (r.message as string | string[]) : e.message;
  return {
    statusCode: status,
    error: typeof r.error === 'string' ? r.error : reasonPhrase(status),
    message,
    ...(typeof r.code === 'string' && { code: r.code }),
  };
}

function body(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: reasonPhrase(statusCode), message };
}

const PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return PHRASES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}
