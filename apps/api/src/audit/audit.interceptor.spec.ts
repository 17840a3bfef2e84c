import { auditedBody } from './audit.interceptor';

describe('auditedBody', () => {
  // non-negotiable 5: secrets are never stored, not even in the audit log
  it('drops secret-looking fields at every depth and keeps the rest', () => {
    const sut = auditedBody({
      username: 'zhang',
      password: 'x',
      contacts: [{ role: 'safety_officer', phone: '+8613800000000', wecomRobotToken: 'k' }],
      nested: { secret: 's', note: 'n' },
    });
    expect(sut).toEqual({ username: 'zhang', contacts: [{ role: 'safety_officer', phone: '+8613800000000' }], nested: { note: 'n' } });
  });

  it('records nothing for a body that is not an object', () => {
    expect(auditedBody('text')).toEqual({});
    expect(auditedBody([1, 2])).toEqual({});
  });
});
