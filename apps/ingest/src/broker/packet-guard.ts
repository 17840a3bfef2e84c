import { Duplex } from 'node:stream';

const CONNECT = 1;
const NAMES = ['reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];

export interface PacketLimits {
  /** the largest CONNECT (remaining length), and every packet until the session is authenticated */
  connect: number;
  /** the largest packet once authenticated */
  packet: number;
}

/**
 * Reads the MQTT fixed header of every packet in a byte stream (type nibble, then the 1–4 byte
 * remaining length) and skips the body, so a packet's announced size is judged before a byte of
 * its body is buffered. aedes 1.2 (mqtt-packet's parser) has no size limit and buffers whatever
 * a header announces.
 */
export class MqttHeaderScanner {
  private header = -1; // first byte of the packet whose length is being read; -1: expecting one
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private skip = 0; // body bytes of the current packet still to pass
  private connected = false;

  constructor(public limits: PacketLimits, private authenticated = false) {}

  /** Lifts the limit to `limits.packet` (after authentication, which may also change the limit). */
  authenticate(packet = this.limits.packet): void {
    this.limits = { ...this.limits, packet };
    this.authenticated = true;
  }

  /** null while the stream is acceptable, else why it is not (then stop feeding it). */
  feed(chunk: Uint8Array): string | null {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, n - i);
        this.skip -= step;
        i += step;
        continue;
      }
      const byte = chunk[i++] as number;
      if (this.header < 0) {
        if (!this.connected && byte >> 4 !== CONNECT) return `the first packet must be CONNECT, not ${NAMES[byte >> 4]}`;
        this.header = byte;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      if (byte & 0x80) {
        if (++this.lengthBytes === 4) return 'malformed remaining length';
        continue;
      }
      const type = this.header >> 4;
      const limit = type === CONNECT || !this.authenticated ? this.limits.connect : this.limits.packet;
      if (this.length > limit) {
        return `${NAMES[type]} announces ${this.length} bytes, more than ${limit}${this.authenticated ? '' : ' before authentication'}`;
      }
      if (type === CONNECT) this.connected = true;
      this.skip = this.length;
      this.header = -1;
    }
    return null;
  }
}

type Socket = Duplex & { remoteAddress?: string; setNoDelay?: (noDelay?: boolean) => unknown };

/**
 * The stream aedes reads instead of the socket: every chunk goes through {@link MqttHeaderScanner}
 * first, and the socket is destroyed the moment a header announces too much (before the body is
 * buffered anywhere). Writes go straight to the socket; backpressure is kept both ways.
 */
export class PacketGuard extends Duplex {
  readonly remoteAddress: string | undefined;
  private readonly scanner: MqttHeaderScanner;

  constructor(private readonly socket: Socket, limits: PacketLimits, private readonly onViolation: (reason: string) => void) {
    super({ allowHalfOpen: false });
    this.remoteAddress = socket.remoteAddress;
    this.scanner = new MqttHeaderScanner(limits);
    socket.on('data', (chunk: Buffer) => {
      const reason = this.scanner.feed(chunk);
      if (reason) {
        this.onViolation(reason);
        this.destroy(new Error(reason));
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.once('end', () => this.push(null));
    socket.once('error', (err: Error) => this.destroy(err));
    socket.once('close', () => this.destroy());
  }

  /** The session is authenticated: packets up to `maxPacketBytes` from now on. */
  authenticated(maxPacketBytes: number): void {
    this.scanner.authenticate(maxPacketBytes);
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    // aedes writes a packet as several small buffers: one socket write keeps them in one segment
    this.socket.write(chunks.length === 1 ? (chunks[0] as { chunk: Buffer }).chunk : Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
