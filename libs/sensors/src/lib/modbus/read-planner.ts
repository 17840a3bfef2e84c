import { DEFAULT_MAX_GAP, MODBUS_READ_LIMITS, REGISTER_COUNTS } from './modbus.constants';
import type { PlannedItem, ReadPlan, ReadRequest, RegisterFunction } from './register-map.types';

export interface PlanOptions<K> {
  /** Unread addresses a request may span between two entries (defaults: DEFAULT_MAX_GAP). */
  maxGap?: { registers: number; bits: number };
  /** Entries read on their own, never merged (those whose merged request the device refused). */
  isolate?: ReadonlySet<K>;
}

const FUNCTIONS: readonly RegisterFunction[] = ['coil', 'discrete', 'holding', 'input'];

/**
 * Plans the reads of a register map: entries of the same function, sorted by address, share one
 * request while they are adjacent, overlapping or at most `maxGap` addresses apart and the request
 * stays within the protocol's limit (125 registers for FC3/FC4, 2000 bits for FC1/FC2). Entries
 * that cannot be read as configured (a bit table with a non-`bool` type, a value running past
 * address 65535) are returned as `invalid` with the reason.
 */
export function planReads<K>(items: readonly PlannedItem<K>[], options: PlanOptions<K> = {}): ReadPlan<K> {
  const maxGap = options.maxGap ?? DEFAULT_MAX_GAP;
  const plan: ReadPlan<K> = { requests: [], invalid: [] };
  const byFunction = new Map<RegisterFunction, PlannedItem<K>[]>();
  for (const item of items) {
    const reason = invalidReason(item);
    if (reason) {
      plan.invalid.push({ key: item.key, reason });
      continue;
    }
    if (options.isolate?.has(item.key)) {
      plan.requests.push(requestOf(item));
      continue;
    }
    const list = byFunction.get(item.spec.function) ?? [];
    list.push(item);
    byFunction.set(item.spec.function, list);
  }
  for (const fn of FUNCTIONS) {
    const list = byFunction.get(fn);
    if (!list) continue;
    const gap = fn === 'coil' || fn === 'discrete' ? maxGap.bits : maxGap.registers;
    plan.requests.push(...merge(list, gap, MODBUS_READ_LIMITS[fn]));
  }
  return plan;
}

/** One request per entry of `request` (to find which entry a device refuses). */
export function splitRequest<K>(request: ReadRequest<K>): ReadRequest<K>[] {
  return request.items.map(requestOf);
}

function merge<K>(items: PlannedItem<K>[], maxGap: number, limit: number): ReadRequest<K>[] {
  const sorted = [...items].sort((a, b) => a.spec.address - b.spec.address || countOf(b) - countOf(a));
  const requests: ReadRequest<K>[] = [];
  let current: ReadRequest<K> | null = null;
  for (const item of sorted) {
    const start = item.spec.address;
    const end = start + countOf(item); // exclusive
    if (current) {
      const currentEnd = current.address + current.count;
      const mergedEnd = Math.max(currentEnd, end);
      if (start - currentEnd <= maxGap && mergedEnd - current.address <= limit) {
        current.count = mergedEnd - current.address;
        current.items.push(item);
        continue;
      }
    }
    current = requestOf(item);
    requests.push(current);
  }
  return requests;
}

function requestOf<K>(item: PlannedItem<K>): ReadRequest<K> {
  return { function: item.spec.function, address: item.spec.address, count: countOf(item), items: [item] };
}

function countOf(item: PlannedItem<unknown>): number {
  const fn = item.spec.function;
  return fn === 'coil' || fn === 'discrete' ? 1 : REGISTER_COUNTS[item.spec.type];
}

function invalidReason(item: PlannedItem<unknown>): string | null {
  const { spec } = item;
  const bits = spec.function === 'coil' || spec.function === 'discrete';
  if (bits && spec.type !== 'bool') return `register map: a ${spec.function} holds one bit; type must be bool, not ${spec.type}`;
  if (!Number.isInteger(spec.address) || spec.address < 0 || spec.address + countOf(item) > 65536) {
    return `register map: ${spec.type} at address ${spec.address} runs past address 65535`;
  }
  return null;
}
