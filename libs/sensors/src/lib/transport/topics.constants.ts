/** docs/contracts.md §1 gateway topics and docs/architecture.md internal topics, written once. */
export const TOPICS = {
  telemetry: (code: string) => `v1/gateways/${code}/telemetry`,
  state: (code: string) => `v1/gateways/${code}/state`,
  errors: (code: string) => `v1/gateways/${code}/errors`,
  gatewayPrefix: (code: string) => `v1/gateways/${code}/`,
  /** normalized readings, partition = hash(point id) mod P */
  readings: (partition: number) => `internal/readings/${partition}`,
  readingsAll: 'internal/readings/+',
  /** the alarm fast lane: single readings that may change an alarm, QoS 0, beside their batched copies */
  priority: (partition: number) => `internal/priority/${partition}`,
  priorityAll: 'internal/priority/+',
  events: 'internal/events',
  internalPrefix: 'internal/',
} as const;

const GATEWAY_TOPIC = /^v1\/gateways\/([^/]+)\/(telemetry|state|errors)$/;

/** `{code, kind}` for a gateway topic, or null. */
export function parseGatewayTopic(topic: string): { code: string; kind: 'telemetry' | 'state' | 'errors' } | null {
  const m = GATEWAY_TOPIC.exec(topic);
  return m ? { code: m[1] as string, kind: m[2] as 'telemetry' | 'state' | 'errors' } : null;
}

/** FNV-1a over the point id: stable across processes and languages, cheap on the hot path. */
export function partitionOf(pointId: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < pointId.length; i++) {
    h ^= pointId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
