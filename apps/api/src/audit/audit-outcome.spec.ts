import { conflict, forbidden, invalid, notFound } from '@sw/errors';
import { refusalAudit, refusalOutcome } from './audit-outcome';

describe(refusalOutcome.name, () => {
  it('audits 400 and 409 as rejected, every other refusal as denied', () => {
    expect([400, 409, 401, 403, 404, 429].map(refusalOutcome)).toEqual(['rejected', 'rejected', 'denied', 'denied', 'denied', 'denied']);
  });
});

describe(refusalAudit.name, () => {
  it('records the status the client got, the code and the reason', () => {
    expect(refusalAudit(conflict('the hazard is closed', 'invalid_state'))).toEqual({ outcome: 'rejected', data: { status: 409, code: 'invalid_state', reason: 'the hazard is closed' } });
    expect(refusalAudit(invalid('at most 9 photos', 'invalid_input')).outcome).toBe('rejected');
    expect(refusalAudit(forbidden('only a regulator confirms', 'forbidden_role'))).toMatchObject({ outcome: 'denied', data: { status: 403 } });
    expect(refusalAudit(notFound('hazard h not found'))).toEqual({ outcome: 'denied', data: { status: 404, code: undefined, reason: 'hazard h not found' } });
  });
});
