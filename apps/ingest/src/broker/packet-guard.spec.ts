import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { generate } from 'mqtt-packet';
import { MqttHeaderScanner, PacketGuard } from './packet-guard';

const LIMITS = { connect: 4096, packet: 278_528 };

const factory = {
  connect: (password = 'secret') => generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'GW-1', keepalive: 30, username: 'GW-1', password: Buffer.from(password) }),
  publish: (bytes: number) => generate({ cmd: 'publish', topic: 'v1/gateways/GW-1/telemetry', payload: Buffer.alloc(bytes, 0x20), qos: 0, retain: false, dup: false }),
  pingreq: () => generate({ cmd: 'pingreq' }),
  /** a fixed header alone, announcing `length` bytes of body that never come */
  header: (type: number, length: number) => {
    const bytes = [type << 4];
    do {
      let byte = length % 128;
      length = Math.floor(length / 128);
      if (length > 0) byte |= 0x80;
      bytes.push(byte);
    } while (length > 0);
    return Buffer.from(bytes);
  },
};

describe(MqttHeaderScanner.name, () => {
  it('passes a CONNECT, then packets up to the authenticated limit', () => {
    // issue 18 item 2: PUBLISH ≤ the telemetry limit + headroom
    const sut = new MqttHeaderScanner(LIMITS);
    expect(sut.feed(factory.connect())).toBeNull();
    sut.authenticate();
    expect(sut.feed(Buffer.concat([factory.publish(256 * 1024), factory.pingreq(), factory.publish(10)]))).toBeNull();
  });

  it('refuses a 200 MB CONNECT from its five header bytes', () => {
    // issue 18 item 2: one socket announcing a 200 MB CONNECT grew ingest by 150 MiB
    const sut = new MqttHeaderScanner(LIMITS);
    expect(sut.feed(factory.header(1, 200 * 1024 * 1024))).toMatch(/CONNECT announces 209715200 bytes, more than 4096/);
  });

  it('refuses a PUBLISH above the limit, and any packet above the CONNECT limit before authentication', () => {
    const sut = new MqttHeaderScanner(LIMITS);
    expect(sut.feed(factory.connect())).toBeNull();
    expect(sut.feed(factory.header(3, 5000))).toMatch(/PUBLISH announces 5000 bytes, more than 4096 before authentication/);
    const authed = new MqttHeaderScanner(LIMITS);
    authed.feed(factory.connect());
    authed.authenticate();
    expect(authed.feed(factory.header(3, 200 * 1024 * 1024))).toMatch(/PUBLISH announces 209715200 bytes, more than 278528/);
    const service = new MqttHeaderScanner(LIMITS);
    service.feed(factory.connect());
    service.authenticate(16 * 1024 * 1024);
    expect(service.feed(factory.header(3, 1024 * 1024))).toBeNull();
  });

  it('reads headers split across chunks, byte by byte', () => {
    const sut = new MqttHeaderScanner(LIMITS);
    const stream = Buffer.concat([factory.connect(), factory.publish(300), factory.pingreq()]);
    expect(sut.feed(stream.subarray(0, 1))).toBeNull();
    for (let i = 1; i < stream.length; i++) expect(sut.feed(stream.subarray(i, i + 1))).toBeNull();
    const big = new MqttHeaderScanner(LIMITS);
    const header = factory.header(1, 5000);
    expect(big.feed(header.subarray(0, 2))).toBeNull();
    expect(big.feed(header.subarray(2))).toMatch(/announces 5000 bytes/);
  });

  it('refuses anything but CONNECT first, and a five-byte remaining length', () => {
    // [MQTT-3.1.0-1] the first packet from the client MUST be CONNECT; [MQTT-2.2.3] at most four length bytes
    expect(new MqttHeaderScanner(LIMITS).feed(factory.publish(1))).toMatch(/first packet must be CONNECT, not PUBLISH/);
    expect(new MqttHeaderScanner(LIMITS).feed(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x01]))).toMatch(/malformed remaining length/);
  });
});

describe(PacketGuard.name, () => {
  it('forwards acceptable bytes and destroys the socket on an oversized header', async () => {
    const socket = new PassThrough();
    const reasons: string[] = [];
    const sut = new PacketGuard(socket, LIMITS, (reason) => reasons.push(reason));
    sut.on('error', () => undefined);
    const connect = factory.connect();
    socket.write(connect);
    const [chunk] = (await once(sut, 'data')) as [Buffer];
    expect(chunk).toEqual(connect);
    socket.write(factory.header(3, 200 * 1024 * 1024));
    await once(socket, 'close');
    expect(sut.destroyed).toBe(true);
    expect(reasons).toEqual([expect.stringMatching(/PUBLISH announces 209715200 bytes/)]);
  });
});
