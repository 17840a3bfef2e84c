import { TOPICS } from '@sw/sensors';

const GATEWAYS = TOPICS.gatewayPrefix('').slice(0, -1); // `v1/gateways/`
const SLASH = 0x2f;
const TELEMETRY = 'telemetry';
const STATE = 'state';

/**
 * CONTRACTS.md §1 topic rules for a gateway: it publishes its own telemetry and state only and
 * subscribes only below its own prefix; `internal/` and other gateways are out of reach.
 */
export function gatewayMayPublish(code: string, topic: string): 'telemetry' | 'state' | null {
  // Runs for every publish: compared in place against the gateway's own prefix, no match arrays.
  const prefix = GATEWAYS.length + code.length + 1; // `v1/gateways/{code}/`
  if (topic.charCodeAt(prefix - 1) !== SLASH || !topic.startsWith(GATEWAYS) || !topic.startsWith(code, GATEWAYS.length)) return null;
  if (code.length === 0 || code.includes('/')) return null; // a code never holds a level separator (registry schema)
  const kind = topic.length - prefix;
  if (kind === TELEMETRY.length && topic.endsWith(TELEMETRY)) return 'telemetry';
  if (kind === STATE.length && topic.endsWith(STATE)) return 'state';
  return null;
}

export function gatewayMaySubscribe(code: string, filter: string): boolean {
  const prefix = TOPICS.gatewayPrefix(code);
  if (!filter.startsWith(prefix)) return false;
  // `+`/`#` are fine below the prefix; the prefix itself is literal, so no other gateway matches.
  return filter.length > prefix.length;
}
