import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { RegistryError } from '@sw/persistence';
import { QueryFailedError } from 'typeorm';
import { errorBody } from './http-error.filter';

describe(errorBody.name, () => {
  it('docs/contracts.md §4 shape for Nest exceptions, with a domain code when given', () => {
    expect(errorBody(new NotFoundException('alarm x not found'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'alarm x not found' });
    expect(errorBody(new BadRequestException(['a: bad', 'b: bad']))).toEqual({ statusCode: 400, error: 'Bad Request', message: ['a: bad', 'b: bad'] });
    expect(errorBody(new ConflictException({ message: 'the alarm is closed', code: 'alarm_closed', error: 'Conflict' }))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'the alarm is closed',
      code: 'alarm_closed',
    });
  });

  it('maps registry error codes: invalid → 400, not_found → 404, conflict → 409', () => {
    expect(errorBody(new RegistryError('invalid', 'invalid point', ['unit: bad']))).toEqual({ statusCode: 400, error: 'Bad Request', message: ['unit: bad'] });
    expect(errorBody(new RegistryError('not_found', 'gateway g not found')).statusCode).toBe(404);
    expect(errorBody(new RegistryError('conflict', 'duplicate')).statusCode).toBe(409);
  });

  it('a unique violation racing past validation is a 409; a body-parser error keeps its 4xx; the rest is 500 without details', () => {
    const unique = new QueryFailedError('INSERT …', [], Object.assign(new Error('dup'), { code: '23505', detail: 'Key (code)=(GW-1) already exists.' }));
    expect(errorBody(unique)).toEqual({ statusCode: 409, error: 'Conflict', message: 'Key (code)=(GW-1) already exists.' });
    expect(errorBody(Object.assign(new SyntaxError('Unexpected token n in JSON'), { status: 400 }))).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(errorBody(new Error('connection refused at 10.0.0.5'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });
});
