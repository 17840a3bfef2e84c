import { DEFAULT_MODBUS_ALLOWED_CIDRS, ModbusHostPolicy, type ModbusSettings } from '@sw/persistence';
import { AllowedHostsConnector } from './allowed-hosts.connector';
import { ModbusTransportError, type ModbusConnection, type ModbusConnector } from './modbus-client.types';

/** The inner connector: records where it was asked to connect (the real socket is not the subject here). */
class RecordingConnector implements ModbusConnector {
  readonly hosts: string[] = [];
  async connect(settings: ModbusSettings): Promise<ModbusConnection> {
    this.hosts.push(settings.host);
    return { read: async () => [], close: () => undefined, isOpen: true };
  }
}

const factory = {
  settings: (host: string): ModbusSettings => ({ host, port: 502, unitId: 1, pollIntervalMs: 1000, timeoutMs: 1000 }),
  sut: (cidrs = DEFAULT_MODBUS_ALLOWED_CIDRS) => {
    const inner = new RecordingConnector();
    return { sut: new AllowedHostsConnector(inner, ModbusHostPolicy.parse(cidrs)), inner };
  },
};

describe(AllowedHostsConnector.name, () => {
  it('connects to an allowed address, and to the address a name resolved to', async () => {
    // issue 18 item 8: Modbus hosts limited to MODBUS_ALLOWED_CIDRS; the demo polls 127.0.0.1
    const { sut, inner } = factory.sut();
    await sut.connect(factory.settings('10.1.2.3'));
    await sut.connect(factory.settings('localhost'));
    expect(inner.hosts).toEqual(['10.1.2.3', expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]);
  });

  it('refuses an address outside the networks without connecting, naming the setting', async () => {
    // issue 18 item 8: a Modbus host could be any address (internal probing, the metadata service)
    const { sut, inner } = factory.sut();
    const refused = sut.connect(factory.settings('169.254.169.254'));
    await expect(refused).rejects.toBeInstanceOf(ModbusTransportError);
    await expect(refused).rejects.toMatchObject({ failure: 'not_allowed', message: expect.stringMatching(/modbus host 169\.254\.169\.254 is outside MODBUS_ALLOWED_CIDRS/) });
    const narrow = factory.sut('10.20.0.0/16');
    await expect(narrow.sut.connect(factory.settings('localhost'))).rejects.toMatchObject({ failure: 'not_allowed', message: expect.stringMatching(/localhost \(resolves to/) });
    expect([...inner.hosts, ...narrow.inner.hosts]).toEqual([]);
  });
});
