import { type ArgumentsHost, BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { conflict, DomainError, type ErrorKind, invalid, notFound, rateLimited } from '@sw/errors';
import { RegistryError } from '@sw/persistence';
import { QueryFailedError } from 'typeorm';
import { errorBody, HttpErrorFilter } from './http-error.filter';

describe(HttpErrorFilter.name, () => {
  // docs/contracts.md §4 "Errors": one status per kind, the same everywhere
  it.each<[ErrorKind, number, string]>([
    ['invalid', 400, 'Bad Request'],
    ['unauthenticated', 401, 'Unauthorized'],
    ['forbidden', 403, 'Forbidden'],
    ['not_found', 404, 'Not Found'],
    ['conflict', 409, 'Conflict'],
    ['rate_limited', 429, 'Too Many Requests'],
    ['unavailable', 503, 'Service Unavailable'],
  ])('maps the kind %s to %i %s', (kind, statusCode, error) => {
    expect(errorBody(new DomainError(kind, 'why'))).toEqual({ statusCode, error, message: 'why' });
  });

  it('carries the domain code when there is one, and a list of reasons as a list', () => {
    expect(errorBody(conflict('the alarm is closed', 'alarm_closed'))).toEqual({ statusCode: 409, error: 'Conflict', message: 'the alarm is closed', code: 'alarm_closed' });
    expect(errorBody(notFound('enterprise e not found'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'enterprise e not found' });
    expect(errorBody(invalid(['a: bad', 'b: bad']))).toEqual({ statusCode: 400, error: 'Bad Request', message: ['a: bad', 'b: bad'] });
  });

  it('answers the body with the status, and Retry-After for a rate limit', () => {
    const headers: Record<string, string> = {};
    const res = { headersSent: false, setHeader: (k: string, v: string) => (headers[k] = v), status: jest.fn().mockReturnThis(), json: jest.fn() };
    const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
    new HttpErrorFilter().catch(rateLimited('too many reports', 30, 'rate_limited'), host);
    expect(res.status).toHaveBeenCalledWith(429);
    expect(res.json).toHaveBeenCalledWith({ statusCode: 429, error: 'Too Many Requests', message: 'too many reports', code: 'rate_limited' });
    expect(headers).toEqual({ 'Retry-After': '30' });
  });

  it('maps the registry errors by kind: invalid → 400 with every reason, not_found → 404, conflict → 409', () => {
    expect(errorBody(new RegistryError('invalid', 'invalid point', ['unit: bad']))).toEqual({ statusCode: 400, error: 'Bad Request', message: ['unit: bad'] });
    expect(errorBody(new RegistryError('not_found', 'gateway g not found'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'gateway g not found' });
    expect(errorBody(new RegistryError('conflict', 'duplicate')).statusCode).toBe(409);
  });

  it('keeps Nest exceptions of guards and pipes as they are', () => {
    expect(errorBody(new NotFoundException('alarm x not found'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'alarm x not found' });
    expect(errorBody(new BadRequestException(['a: bad', 'b: bad']))).toEqual({ statusCode: 400, error: 'Bad Request', message: ['a: bad', 'b: bad'] });
    expect(errorBody(new ConflictException({ message: 'the alarm is closed', code: 'alarm_closed', error: 'Conflict' }))).toMatchObject({ statusCode: 409, code: 'alarm_closed' });
  });

  it('a unique violation racing past validation is a 409; a body-parser error keeps its 4xx; the rest is 500 without details', () => {
    const unique = new QueryFailedError('INSERT …', [], Object.assign(new Error('dup'), { code: '23505', detail: 'Key (code)=(GW-1) already exists.' }));
    expect(errorBody(unique)).toEqual({ statusCode: 409, error: 'Conflict', message: 'Key (code)=(GW-1) already exists.' });
    expect(errorBody(Object.assign(new SyntaxError('Unexpected token n in JSON'), { status: 400 }))).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(errorBody(new Error('connection refused at 10.0.0.5'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });
});
