import { createServer } from 'node:net';
import { decodeRegisterValue, type RegisterSpec } from '@sw/sensors';
import ModbusRTU from 'modbus-serial';
import type { ModbusDeviceSpec } from '../credentials/credentials.schema';
import { IncidentsService } from '../incidents/incidents.service';
import { castingStateAt } from '../signals/point-signal';
import { seedOf } from '../signals/random';
import { CASTING_CYCLE } from '../signals/signal-profiles.constants';
import { IllegalAddressError, ModbusDevice } from './modbus-device';
import { ModbusDeviceServer } from './modbus-device-server';

const FLOW: RegisterSpec = { function: 'holding', address: 100, type: 'float32', wordOrder: 'CDAB' };
const PRESSURE: RegisterSpec = { function: 'holding', address: 102, type: 'float32', wordOrder: 'CDAB' };
const LEVEL: RegisterSpec = { function: 'input', address: 0, type: 'int16', scale: 0.1 };

const factory = {
  /** The demo's 2# casting PLC (demo-district.constants.ts), as `provision` writes it. */
  spec: (port = 1502): ModbusDeviceSpec => ({
    code: 'WZL-PLC-02', host: '127.0.0.1', port, unitId: 1,
    points: [
      { code: 'CA-02', type: 'casting_active', unit: '', intervalS: 5, baseline: 1, register: { function: 'coil', address: 0, type: 'bool' } },
      { code: 'FL-02', type: 'water_flow', unit: 'm3/h', intervalS: 5, baseline: 125, register: FLOW },
      { code: 'PR-03', type: 'water_pressure', unit: 'MPa', intervalS: 5, baseline: 0.35, register: PRESSURE },
      { code: 'ML-02', type: 'melt_level', unit: 'mm', intervalS: 5, baseline: 120, register: LEVEL },
    ],
  }),
  /** A moment 60 s into a cast of this device's cycle. */
  castingAt: (): number => {
    const phase = seedOf('WZL-PLC-02') % (CASTING_CYCLE.onMs + CASTING_CYCLE.offMs);
    for (let t = 1_795_831_200_000; ; t += 1_000) {
      const s = castingStateAt(t, phase);
      if (s.active && s.sinceMs >= 60_000) return t;
    }
  },
};

const value = (device: ModbusDevice, spec: RegisterSpec) => {
  const words = Array.from({ length: spec.type === 'float32' ? 2 : 1 }, (_, i) => device.read(spec.function, spec.address + i));
  const decoded = decodeRegisterValue(words, spec);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
};

describe(ModbusDevice.name, () => {
  it('holds a casting signal in its registers: casting coil, flow and pressure as float32 CDAB, melt level int16 × 0.1', () => {
    const sut = new ModbusDevice(factory.spec());
    sut.update(factory.castingAt(), []);
    expect(sut.read('coil', 0)).toBe(1);
    expect(value(sut, FLOW)).toBeGreaterThan(115);
    expect(value(sut, FLOW)).toBeLessThan(135);
    expect(value(sut, PRESSURE)).toBeCloseTo(0.35, 1);
    expect(value(sut, LEVEL)).toBeGreaterThan(110);
    expect(value(sut, LEVEL)).toBeLessThan(130);
  });

  it('answers exception 2 for an address it does not have', () => {
    const sut = new ModbusDevice(factory.spec());
    sut.update(factory.castingAt(), []);
    expect(() => sut.read('holding', 104)).toThrow(IllegalAddressError);
    expect(new IllegalAddressError('x').modbusErrorCode).toBe(2);
  });

  it('loses 70 % of its cooling water flow and pressure in a cooling_water_loss incident', () => {
    const sut = new ModbusDevice(factory.spec());
    const incidents = new IncidentsService([{ code: 'WZL-PLC-02', points: factory.spec().points }]);
    const t = factory.castingAt();
    incidents.start({ kind: 'cooling_water_loss', gateway: 'WZL-PLC-02' }, t);
    sut.update(t + 10_000, incidents.forGateway('WZL-PLC-02', t + 10_000));
    expect(value(sut, FLOW)).toBeLessThan(125 * 0.35);
    expect(value(sut, PRESSURE)).toBeLessThan(0.35 * 0.35);
    expect(sut.read('coil', 0)).toBe(1); // still casting: the dangerous case
  });
});

describe(ModbusDeviceServer.name, () => {
  let server: ModbusDeviceServer;
  let client: ModbusRTU;
  let incidents: IncidentsService;
  let port: number;

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    incidents = new IncidentsService([{ code: 'WZL-PLC-02', points: factory.spec().points }]);
    server = new ModbusDeviceServer(new ModbusDevice(factory.spec(port)), incidents, () => undefined);
    await server.listen('127.0.0.1', port, 1);
    client = new ModbusRTU();
    client.on('error', () => undefined);
    await client.connectTCP('127.0.0.1', { port });
    client.setID(1);
    client.setTimeout(500);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await server.close();
  });

  it('serves its registers over Modbus TCP (FC1, FC3, FC4) and exception 2 elsewhere', async () => {
    const flow = await client.readHoldingRegisters(100, 4);
    const decoded = decodeRegisterValue(flow.data, FLOW);
    expect(decoded.ok && decoded.value > 0).toBe(true);
    expect((await client.readCoils(0, 1)).data[0]).toEqual(expect.any(Boolean));
    expect((await client.readInputRegisters(0, 1)).data).toHaveLength(1);
    await expect(client.readHoldingRegisters(200, 1)).rejects.toMatchObject({ modbusCode: 2 });
  });

  it('hangs while a gateway_silent incident is in force', async () => {
    const incident = incidents.start({ kind: 'gateway_silent', gateway: 'WZL-PLC-02' }, Date.now());
    await expect(client.readHoldingRegisters(100, 2)).rejects.toMatchObject({ errno: 'ETIMEDOUT' });
    incidents.end(incident.id, Date.now());
    await expect(client.readHoldingRegisters(100, 2)).resolves.toMatchObject({ data: expect.any(Array) });
  });
});
