// The inspections' domain codes as HTTP answers (docs/contracts.md §4: 404 outside the scope, 409 a refused change).
import { BadRequestException, ConflictException, ForbiddenException, type HttpException, NotFoundException } from '@nestjs/common';
import type { InspectionActor, Principal } from '@sw/persistence';

export const STATUS_OF: Record<string, number> = {
  not_found: 404,
  invalid_state: 409,
  invalid_input: 400,
  duplicate: 409,
  conflict_of_interest: 409,
  inspector_unavailable: 409,
  forbidden_role: 403,
};

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

export function actorOf(p: Principal): InspectionActor {
  return { id: p.id, username: p.username, role: p.role };
}
