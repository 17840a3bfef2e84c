// A domain refusal (status and code) as the HTTP answer every api service gives it: the body carries
// `message`, `code` and `error` (docs/contracts.md §4), and the audit outcome the status stands for.
import { BadRequestException, ConflictException, ForbiddenException, type HttpException, NotFoundException } from '@nestjs/common';

export function toHttp(status: number, code: string, message: string): HttpException {
  switch (status) {
    case 400:
      return new BadRequestException({ message, code, error: 'Bad Request' });
    case 403:
      return new ForbiddenException({ message, code, error: 'Forbidden' });
    case 404:
      return new NotFoundException({ message, code, error: 'Not Found' });
    default:
      return new ConflictException({ message, code, error: 'Conflict' });
  }
}

/** A refused request as audited: 400 and 409 are `rejected` (bad input, wrong state), the rest `denied`. */
export function refusalOutcome(status: number): 'rejected' | 'denied' {
  return status === 400 || status === 409 ? 'rejected' : 'denied';
}
