import { DEFAULT_MODBUS_ALLOWED_CIDRS, ModbusHostPolicy } from './modbus-hosts';

describe(ModbusHostPolicy.name, () => {
  const sut = ModbusHostPolicy.parse(DEFAULT_MODBUS_ALLOWED_CIDRS);

  it('allows loopback and the private ranges by default', () => {
    // issue 18 item 8: Modbus hosts limited to configured CIDRs; the default keeps the demo (127.0.0.1) working
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '172.31.255.255', '192.168.1.10', '100.64.0.1', '::1', 'fd00::5', '::ffff:10.0.0.1']) {
      expect([address, sut.allows(address)]).toEqual([address, true]);
    }
  });

  it('refuses public, link-local (cloud metadata) and unspecified addresses, and names', () => {
    for (const address of ['8.8.8.8', '169.254.169.254', '172.32.0.1', '0.0.0.0', '2001:db8::1', 'fe80::1', '::ffff:8.8.8.8', 'plc.example.org']) {
      expect([address, sut.allows(address)]).toEqual([address, false]);
    }
  });

  it('parses a configured list and names a bad entry', () => {
    const narrow = ModbusHostPolicy.parse(' 10.20.0.0/16 , 2001:db8::/32');
    expect(narrow.allows('10.20.3.4')).toBe(true);
    expect(narrow.allows('10.21.0.1')).toBe(false);
    expect(narrow.allows('2001:db8::1')).toBe(true);
    expect(() => ModbusHostPolicy.parse('10.0.0.0/8,10.0.0.0')).toThrow('not a CIDR: 10.0.0.0');
    expect(() => ModbusHostPolicy.parse('10.0.0.0/33')).toThrow('not a CIDR: 10.0.0.0/33');
    expect(() => ModbusHostPolicy.parse('plc/8')).toThrow('not a CIDR: plc/8');
  });

  it('words the refusal with the host, what it resolves to and the allowed networks', () => {
    expect(ModbusHostPolicy.parse('10.0.0.0/8').refusal('plc.example.org', '8.8.8.8')).toBe(
      'modbus host plc.example.org (resolves to 8.8.8.8) is outside MODBUS_ALLOWED_CIDRS (10.0.0.0/8)',
    );
  });
});
