/** Prefix of a shared subscription: `$share/{group}/{filter}` (MQTT 5 §4.8.2; Mosquitto and EMQX take it over 3.1.1 too). */
const SHARE_PREFIX = '$share/';

/** A compiled topic filter: whether a topic name matches it. */
export type TopicMatcher = (topic: string) => boolean;

const NEVER: TopicMatcher = () => false;

/**
 * The filter a subscription matches topics with: `$share/{group}/{filter}` gives `{filter}`, any
 * other filter itself; null for a shared subscription without a group or a filter.
 */
export function matchedFilterOf(subscription: string): string | null {
  if (!subscription.startsWith(SHARE_PREFIX)) return subscription;
  const rest = subscription.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return null;
  const group = rest.slice(0, slash);
  return group.includes('+') || group.includes('#') ? null : rest.slice(slash + 1);
}

/**
 * Compiles a subscription's filter once for many topics, with MQTT 3.1.1 §4.7 semantics:
 * `+` is exactly one level (an empty one too), `#` is the last level and matches its parent and
 * everything below it, a filter starting with a wildcard does not match a topic starting with `$`
 * [MQTT-4.7.2-1], and `$share/{group}/` is taken off first. A malformed filter (`a/b#`, `#/a`,
 * `a+`) matches nothing, as a broker would refuse to subscribe it.
 */
export function compileTopicFilter(subscription: string): TopicMatcher {
  const filter = matchedFilterOf(subscription);
  if (filter === null || filter === '') return NEVER;
  const levels = filter.split('/');
  const last = levels.length - 1;
  for (let i = 0; i <= last; i++) {
    const level = levels[i] as string;
    if (level === '#' ? i !== last : level !== '+' && (level.includes('+') || level.includes('#'))) return NEVER;
  }
  const multi = levels[last] === '#';
  const fixed = multi ? last : levels.length; // levels before a trailing `#`
  if (!filter.includes('+') && !multi) return (topic) => topic === filter;
  const wildcardFirst = levels[0] === '+' || levels[0] === '#';
  return (topic) => {
    if (wildcardFirst && topic.startsWith('$')) return false;
    const t = topic.split('/');
    if (multi ? t.length < fixed : t.length !== fixed) return false;
    for (let i = 0; i < fixed; i++) if (levels[i] !== '+' && levels[i] !== t[i]) return false;
    return true;
  };
}

/** Whether `topic` matches the subscription `filter` (see `compileTopicFilter`). */
export function topicMatches(filter: string, topic: string): boolean {
  return compileTopicFilter(filter)(topic);
}
