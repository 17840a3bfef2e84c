/**
 * Settles once the readings of a gateway message just handled are durable, for its PUBACK
 * (docs/architecture.md, "What nothing lost means"): the message's handling (`waiting`) is done, the
 * reading publisher's batch of this turn has gone out (it flushes on setImmediate, queued before the
 * one here), and then every store `stores()` names holds what it was handed so far. `stores` is
 * called only then, so each one counts this message's readings. Never rejects: the broker
 * acknowledges the message once it settles either way.
 */
export async function messageDurable(waiting: Promise<void> | undefined, stores: () => Promise<unknown>[]): Promise<void> {
  if (waiting) await waiting;
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all(stores()).catch(() => undefined);
}
