import { topicMatches } from './broker.service';

describe(topicMatches.name, () => {
  it('matches MQTT filters with + and #', () => {
    expect(topicMatches('internal/events', 'internal/events')).toBe(true);
    expect(topicMatches('internal/readings/+', 'internal/readings/7')).toBe(true);
    expect(topicMatches('internal/readings/+', 'internal/readings')).toBe(false);
    expect(topicMatches('internal/readings/+', 'internal/readings/7/x')).toBe(false);
    expect(topicMatches('internal/#', 'internal/readings/7')).toBe(true);
    expect(topicMatches('internal/events', 'internal/eventsX')).toBe(false);
  });
});
