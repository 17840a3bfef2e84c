import { TOPICS } from '@sw/sensors';
import { gatewayMayPublish, gatewayMaySubscribe, gatewayMayUseClientId } from './topic-acl';

const factory = {
  code: (n = 1) => `GW-${n}`,
  topic: (code: string, kind: string) => `v1/gateways/${code}/${kind}`,
};

describe(gatewayMayPublish.name, () => {
  const sut = gatewayMayPublish;
  const own = factory.code(1);

  it('lets a gateway publish its own telemetry and state', () => {
    // docs/contracts.md §1: `v1/gateways/{code}/telemetry` and `/state` are gateway → platform
    expect(sut(own, TOPICS.telemetry(own))).toBe('telemetry');
    expect(sut(own, TOPICS.state(own))).toBe('state');
  });

  it('refuses a publish on its own errors topic', () => {
    // docs/contracts.md §1: `v1/gateways/{code}/errors` is platform → gateway only
    expect(sut(own, TOPICS.errors(own))).toBeNull();
  });

  it("refuses a publish on another gateway's topics", () => {
    // docs/contracts.md §1: "{code} is the gateway's own code; a gateway may touch nothing else"
    const other = factory.code(2);
    expect(sut(own, TOPICS.telemetry(other))).toBeNull();
    expect(sut(own, TOPICS.state(other))).toBeNull();
  });

  it('tells apart a code that is a prefix of another code', () => {
    // docs/contracts.md §1: GW-1 may not publish as GW-10, nor GW-10 as GW-1
    expect(sut('GW-1', TOPICS.telemetry('GW-10'))).toBeNull();
    expect(sut('GW-10', TOPICS.telemetry('GW-1'))).toBeNull();
    expect(sut('GW-10', TOPICS.telemetry('GW-10'))).toBe('telemetry');
  });

  it('refuses internal topics', () => {
    // docs/architecture.md broker: gateways can never publish or subscribe under `internal/`
    expect(sut(own, TOPICS.readings(0))).toBeNull();
    expect(sut(own, TOPICS.events)).toBeNull();
    expect(sut(own, `${TOPICS.internalPrefix}${TOPICS.telemetry(own)}`)).toBeNull();
  });

  it('refuses anything but exactly the two topics below its own prefix', () => {
    // docs/contracts.md §1: the topic table lists telemetry and state only for a gateway's publishes
    for (const topic of [
      `${TOPICS.telemetry(own)}/extra`,
      factory.topic(own, 'other'),
      factory.topic(own, ''),
      `v1/gateways/${own}`,
      `/${TOPICS.telemetry(own)}`,
      `v2/gateways/${own}/telemetry`,
      factory.topic('+', 'telemetry'),
      factory.topic('#', 'telemetry'),
      '',
    ]) {
      expect(sut(own, topic)).toBeNull();
    }
  });
});

describe(gatewayMaySubscribe.name, () => {
  const sut = gatewayMaySubscribe;
  const own = factory.code(1);

  it('lets a gateway subscribe to its own errors (and anything else below its prefix)', () => {
    // docs/contracts.md §1: the gateway receives `v1/gateways/{code}/errors`; subscriptions below its own prefix are allowed
    expect(sut(own, TOPICS.errors(own))).toBe(true);
    expect(sut(own, TOPICS.state(own))).toBe(true);
    expect(sut(own, TOPICS.telemetry(own))).toBe(true);
  });

  it('allows wildcards only below its own prefix', () => {
    // docs/contracts.md §1: "a subscription outside it is refused"; `+`/`#` below the own prefix stay inside it
    expect(sut(own, `${TOPICS.gatewayPrefix(own)}#`)).toBe(true);
    expect(sut(own, `${TOPICS.gatewayPrefix(own)}+`)).toBe(true);
    for (const filter of ['#', '+/#', 'v1/#', 'v1/gateways/#', 'v1/+/GW-1/errors', '+/gateways/GW-1/errors']) {
      expect(sut(own, filter)).toBe(false);
    }
  });

  it('refuses `v1/gateways/+/…`, which would reach every gateway', () => {
    // docs/contracts.md §1: a gateway may touch nothing else than its own topics
    expect(sut(own, factory.topic('+', 'errors'))).toBe(false);
    expect(sut(own, factory.topic('+', 'telemetry'))).toBe(false);
    expect(sut(own, 'v1/gateways/+/#')).toBe(false);
  });

  it("refuses another gateway's topics, also when its code is a prefix of the other", () => {
    // docs/contracts.md §1: GW-1's prefix `v1/gateways/GW-1/` must not match `v1/gateways/GW-10/…`
    expect(sut('GW-1', TOPICS.errors('GW-2'))).toBe(false);
    expect(sut('GW-1', TOPICS.errors('GW-10'))).toBe(false);
    expect(sut('GW-1', 'v1/gateways/GW-10/#')).toBe(false);
    expect(sut('GW-10', TOPICS.errors('GW-1'))).toBe(false);
    expect(sut('GW-1', 'v1/gateways/GW-1#')).toBe(false);
    expect(sut('GW-1', 'v1/gateways/GW-1+/errors')).toBe(false);
  });

  it('refuses internal topics', () => {
    // docs/architecture.md broker: gateways can never publish or subscribe under `internal/`
    expect(sut(own, TOPICS.readingsAll)).toBe(false);
    expect(sut(own, TOPICS.events)).toBe(false);
    expect(sut(own, 'internal/#')).toBe(false);
  });

  it('refuses the bare prefix and shared-subscription disguises', () => {
    // docs/contracts.md §1: only filters strictly below `v1/gateways/{code}/` are the gateway's own
    expect(sut(own, TOPICS.gatewayPrefix(own))).toBe(false);
    expect(sut(own, `v1/gateways/${own}`)).toBe(false);
    expect(sut(own, `$share/g/${TOPICS.errors(own)}`)).toBe(false);
    expect(sut(own, '')).toBe(false);
  });
});

describe(gatewayMayUseClientId.name, () => {
  const sut = gatewayMayUseClientId;

  it('accepts the code itself and the code, ":" and a suffix', () => {
    // README §Security: a gateway's client id is `code` or `code:suffix`
    expect(sut('GW-0001', 'GW-0001')).toBe(true);
    expect(sut('GW-0001', 'GW-0001:backup')).toBe(true);
    expect(sut('GW-0001', 'GW-0001:a:b')).toBe(true);
  });

  it('refuses service ids and other gateways\' codes', () => {
    // issue 18 item 1: `alerting-partition-3` is alerting's persistent session; GW-0002 is another gateway
    expect(sut('GW-0001', 'alerting-partition-3')).toBe(false);
    expect(sut('GW-0001', 'GW-0002')).toBe(false);
    expect(sut('GW-0001', 'api-host-1-abc')).toBe(false);
  });

  it('does not take "-" as the separator, which codes may hold', () => {
    // GATEWAY_CODE allows "-": `GW-0001-2` may be another gateway's code, `alerting` + `-partition-3` a service id
    expect(sut('GW-0001', 'GW-0001-2')).toBe(false);
    expect(sut('alerting', 'alerting-partition-3')).toBe(false);
    expect(sut('GW-0001', 'GW-00012')).toBe(false);
  });

  it('refuses an empty suffix, a prefix of the code and an empty code', () => {
    expect(sut('GW-0001', 'GW-0001:')).toBe(false);
    expect(sut('GW-0001', 'GW-000')).toBe(false);
    expect(sut('GW-0001', '')).toBe(false);
    expect(sut('', ':x')).toBe(false);
  });
});
