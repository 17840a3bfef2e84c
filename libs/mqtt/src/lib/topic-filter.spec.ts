import { compileTopicFilter, matchedFilterOf, topicMatches } from './topic-filter';

describe(topicMatches.name, () => {
  it('matches exact levels only', () => {
    expect(topicMatches('internal/events', 'internal/events')).toBe(true);
    expect(topicMatches('internal/events', 'internal/eventsX')).toBe(false);
    expect(topicMatches('internal/events', 'internal/events/')).toBe(false);
    expect(topicMatches('internal/events', 'Internal/events')).toBe(false); // [MQTT-4.7.3-4] case-sensitive
  });

  // MQTT 3.1.1 §4.7.1.3: the single-level wildcard
  it('matches one level, an empty one too, with +', () => {
    expect(topicMatches('internal/readings/+', 'internal/readings/7')).toBe(true);
    expect(topicMatches('internal/readings/+', 'internal/readings')).toBe(false);
    expect(topicMatches('internal/readings/+', 'internal/readings/7/x')).toBe(false);
    expect(topicMatches('internal/readings/+', 'internal/readings/')).toBe(true);
    expect(topicMatches('v1/gateways/+/telemetry', 'v1/gateways/GW-1/telemetry')).toBe(true);
    expect(topicMatches('v1/gateways/+/telemetry', 'v1/gateways/GW-1/state')).toBe(false);
    expect(topicMatches('+/+', '/finance')).toBe(true);
    expect(topicMatches('/+', '/finance')).toBe(true);
    expect(topicMatches('+', '/finance')).toBe(false);
  });

  // MQTT 3.1.1 §4.7.1.2: the multi-level wildcard, last, matching the parent too
  it('matches the parent and everything below with #', () => {
    expect(topicMatches('internal/#', 'internal/readings/7')).toBe(true);
    expect(topicMatches('internal/#', 'internal')).toBe(true);
    expect(topicMatches('internal/#', 'internal/')).toBe(true);
    expect(topicMatches('internal/#', 'internals/x')).toBe(false);
    expect(topicMatches('internal/+/#', 'internal/priority/3/x')).toBe(true);
    expect(topicMatches('internal/+/#', 'internal')).toBe(false);
    expect(topicMatches('#', 'anything/at/all')).toBe(true);
  });

  // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with `$`
  it('keeps $ topics from filters that start with a wildcard', () => {
    expect(topicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('+/broker/uptime', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('$SYS/#', '$SYS/broker/uptime')).toBe(true);
    expect(topicMatches('$SYS/+/uptime', '$SYS/broker/uptime')).toBe(true);
  });

  // MQTT 5 §4.8.2: `$share/{group}/{filter}` matches what `{filter}` matches
  it('matches shared subscriptions by their filter', () => {
    expect(topicMatches('$share/ingest/v1/gateways/+/telemetry', 'v1/gateways/GW-1/telemetry')).toBe(true);
    expect(topicMatches('$share/ingest/v1/gateways/+/state', 'v1/gateways/GW-1/telemetry')).toBe(false);
    expect(topicMatches('$share/ingest/#', 'v1/gateways/GW-1/state')).toBe(true);
    expect(topicMatches('$share/ingest/v1/gateways/+/telemetry', '$share/ingest/v1/gateways/GW-1/telemetry')).toBe(false);
  });

  it('matches nothing with a malformed filter', () => {
    for (const filter of ['internal/#/x', 'internal#', 'internal/e+', 'a/+b', '', '$share/ingest', '$share/ingest/', '$share//a', '$share/g+/a']) {
      expect(topicMatches(filter, 'internal/e+')).toBe(false);
      expect(topicMatches(filter, 'internal/#/x')).toBe(false);
      expect(topicMatches(filter, 'a/+b')).toBe(false);
    }
  });
});

describe(matchedFilterOf.name, () => {
  it('takes the group off a shared subscription', () => {
    expect(matchedFilterOf('$share/ingest/v1/gateways/+/state')).toBe('v1/gateways/+/state');
    expect(matchedFilterOf('v1/gateways/+/state')).toBe('v1/gateways/+/state');
    expect(matchedFilterOf('$SYS/#')).toBe('$SYS/#');
    expect(matchedFilterOf('$share/ingest')).toBeNull();
  });
});

describe(compileTopicFilter.name, () => {
  it('gives the same answers on every call', () => {
    const sut = compileTopicFilter('internal/priority/+');
    expect(['internal/priority/1', 'internal/priority', 'internal/priority/1/2', 'internal/priority/9'].map(sut)).toEqual([true, false, false, true]);
  });
});
