import { refusalOutcome, toHttp } from './coded-http';

describe('coded HTTP answers', () => {
  it.each([
    [400, 'Bad Request'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [409, 'Conflict'],
  ])('maps %i to its exception with the code in the body', (status, error) => {
    const sut = toHttp(status, 'some_code', 'why');
    expect(sut.getStatus()).toBe(status);
    expect(sut.getResponse()).toEqual({ message: 'why', code: 'some_code', error });
  });

  it('audits 400 and 409 as rejected, every other refusal as denied', () => {
    expect([400, 409, 401, 403, 404].map(refusalOutcome)).toEqual(['rejected', 'rejected', 'denied', 'denied', 'denied']);
  });
});
