import { TOPICS, parseGatewayTopic } from '@sw/sensors';

/**
 * CONTRACTS.md §1 topic rules for a gateway: it publishes its own telemetry and state only and
 * subscribes only below its own prefix; `internal/` and other gateways are out of reach.
 */
export function gatewayMayPublish(code: string, topic: string): 'telemetry' | 'state' | null {
  const parsed = parseGatewayTopic(topic);
  if (!parsed || parsed.code !== code || parsed.kind === 'errors') return null;
  return parsed.kind;
}

export function gatewayMaySubscribe(code: string, filter: string): boolean {
  const prefix = TOPICS.gatewayPrefix(code);
  if (!filter.startsWith(prefix)) return false;
  // `+`/`#` are fine below the prefix; the prefix itself is literal, so no other gateway matches.
  return filter.length > prefix.length;
}
