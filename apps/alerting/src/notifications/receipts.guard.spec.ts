import { receiptSources } from './receipts.guard';

// issue 18 item 8: the receipts endpoint's optional source allow-list
describe(receiptSources.name, () => {
  it('reads CIDRs and single addresses of both families', () => {
    const sut = receiptSources('47.96.0.0/12, 10.0.0.7 ,::1/128');
    expect(sut.check('47.100.1.2', 'ipv4')).toBe(true);
    expect(sut.check('47.112.0.1', 'ipv4')).toBe(false);
    expect(sut.check('10.0.0.7', 'ipv4')).toBe(true);
    expect(sut.check('10.0.0.8', 'ipv4')).toBe(false);
    expect(sut.check('::1', 'ipv6')).toBe(true);
  });

  it('refuses a malformed entry (boot fails rather than allowing everyone)', () => {
    expect(() => receiptSources('47.96.0.0/x')).toThrow('not a CIDR');
    expect(() => receiptSources('not-an-address')).toThrow();
    expect(() => receiptSources('10.0.0.0/33')).toThrow();
  });
});
