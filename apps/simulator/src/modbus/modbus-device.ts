import type { RegisterFunction } from '@sw/sensors';
import type { ModbusDeviceSpec } from '../credentials/credentials.schema';
import { applyTarget, envelopeAt } from '../incidents/incident-shape';
import type { Incident } from '../incidents/incident.types';
import { castingStateAt, PointSignal } from '../signals/point-signal';
import { seedOf } from '../signals/random';
import { CASTING_CYCLE } from '../signals/signal-profiles.constants';
import { encodeRegisterValue } from './register-encoder';

/** Modbus exception 2: what a device answers for an address it does not have. */
export class IllegalAddressError extends Error {
  readonly modbusErrorCode = 0x02;
}

/**
 * The register image of a simulated Modbus device (no IO): every point's healthy signal (the same
 * profiles as the MQTT gateways, casting cycle included) with the device's incidents applied, and
 * encoded into its registers by its register map entry. Only mapped addresses exist; reading any
 * other one is exception 2, as on a real PLC.
 */
export class ModbusDevice {
  readonly code: string;
  private readonly signals: PointSignal[];
  private readonly values: Float64Array;
  private readonly tables: Record<RegisterFunction, Map<number, number>> = {
    coil: new Map(), discrete: new Map(), holding: new Map(), input: new Map(),
  };
  private readonly castingPhaseMs: number;

  constructor(private readonly spec: ModbusDeviceSpec) {
    this.code = spec.code;
    this.signals = spec.points.map(
      (p) => new PointSignal({ type: p.type, unit: p.unit, baseline: p.baseline, seed: seedOf(`${spec.code}/${p.code}`) }),
    );
    this.values = new Float64Array(spec.points.length);
    this.castingPhaseMs = seedOf(spec.code) % (CASTING_CYCLE.onMs + CASTING_CYCLE.offMs);
  }

  /** Samples every point at `now` (epoch ms) with the device's incidents in force. */
  update(now: number, incidents: readonly Incident[]): void {
    const casting = castingStateAt(now, this.castingPhaseMs);
    this.signals.forEach((s, i) => (this.values[i] = s.sample(now, casting)));
    for (const incident of incidents) {
      const envelope = envelopeAt(incident, now);
      if (envelope <= 0) continue;
      for (const t of incident.targets) this.values[t.index] = applyTarget(this.values[t.index] as number, t, envelope);
    }
    this.spec.points.forEach((p, i) => {
      const value = (this.signals[i] as PointSignal).finish(this.values[i] as number);
      const words = encodeRegisterValue(value, p.register);
      words.forEach((w, k) => this.tables[p.register.function].set(p.register.address + k, w));
    });
  }

  /** The register word (or bit, 0/1) at `address`; throws IllegalAddressError for an unmapped one. */
  read(fn: RegisterFunction, address: number): number {
    const value = this.tables[fn].get(address);
    if (value === undefined) throw new IllegalAddressError(`no ${fn} at address ${address}`);
    return value;
  }
}
