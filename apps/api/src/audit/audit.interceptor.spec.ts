import { z } from 'zod';
import { validatedBody } from './audit.interceptor';

const schema = z.object({ comment: z.string().max(2000), password: z.string().optional(), contacts: z.array(z.object({ phone: z.string(), wecomRobotToken: z.string() })).optional() });

describe(validatedBody.name, () => {
  it('stores what the schema accepted, unknown keys dropped, secret-looking fields removed at every depth', () => {
    const sut = validatedBody(schema, { comment: 'ok', password: 'x', junk: 'y'.repeat(100_000), contacts: [{ phone: '+8613800000000', wecomRobotToken: 'k' }] });
    expect(sut).toEqual({ comment: 'ok', contacts: [{ phone: '+8613800000000' }] });
  });

  it('stores nothing of a body the schema refuses, or of a route without a schema', () => {
    expect(validatedBody(schema, { comment: 'x'.repeat(3000) })).toEqual({});
    expect(validatedBody(null, { comment: 'ok' })).toEqual({});
    expect(validatedBody(schema, 'text')).toEqual({});
  });

  it('keeps a valid but long body within half the audit budget', () => {
    const sut = validatedBody(schema, { comment: '处置'.repeat(1000) });
    expect((sut['comment'] as string).length).toBeLessThanOrEqual(256);
    expect(Buffer.byteLength(JSON.stringify(sut))).toBeLessThanOrEqual(2048);
  });
});
