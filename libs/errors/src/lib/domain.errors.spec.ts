import { conflict, DomainError, invalid, rateLimited } from './domain.errors';

describe(DomainError.name, () => {
  it('carries kind, code and message; a list of reasons stays a list', () => {
    const sut = invalid(['a: bad', 'b: bad']);
    expect(sut).toBeInstanceOf(Error);
    expect(sut).toMatchObject({ kind: 'invalid', code: undefined, message: 'a: bad; b: bad', reasons: ['a: bad', 'b: bad'] });
    expect(conflict('the alarm is closed', 'alarm_closed')).toMatchObject({ kind: 'conflict', code: 'alarm_closed', reasons: undefined });
    expect(rateLimited('slow down', 7, 'rate_limited')).toMatchObject({ kind: 'rate_limited', retryAfterS: 7, code: 'rate_limited' });
  });

  it('throws the refusal a pure function returned with its kind and code', () => {
    expect(DomainError.of({ kind: 'not_found', code: 'alarm_not_found', reason: 'alarm a not found' })).toMatchObject({
      kind: 'not_found',
      code: 'alarm_not_found',
      message: 'alarm a not found',
    });
  });
});
