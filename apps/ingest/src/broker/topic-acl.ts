import { TOPICS } from '@sw/sensors';

const GATEWAYS = TOPICS.gatewayPrefix('').slice(0, -1); // `v1/gateways/`
const SLASH = 0x2f;
const TELEMETRY = 'telemetry';
const STATE = 'state';

/**
 * docs/contracts.md §1 topic rules for a gateway: it publishes its own telemetry and state only and
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

const COLON = 0x3a;

/**
 * The client ids a gateway may use: its code, or its code, `:` and any suffix (`GW-0001:backup`).
 * Every other id is reserved for the service accounts (`alerting-partition-3`, `api-…`, `ingest-…`),
 * so a gateway can neither take over a service's persistent session nor kick another gateway.
 * The separator is `:` and not `-` because codes may hold `-` (and `_`) but never `:`
 * (`^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$`): with `-`, gateway `GW-0001` could claim `GW-0001-2`, the
 * code of another gateway, and gateway `alerting` the id `alerting-partition-3`.
 */
export function gatewayMayUseClientId(code: string, clientId: string): boolean {
  if (code.length === 0) return false;
  if (clientId === code) return true;
  return clientId.length > code.length + 1 && clientId.charCodeAt(code.length) === COLON && clientId.startsWith(code);
}
