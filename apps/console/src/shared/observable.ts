// A value that components can watch: the feed status, the enterprise directory, live readings.
import { useEffect, useState } from 'preact/hooks';

export interface Watchable {
  subscribe(listener: () => void): () => void;
}

export class Observable<T> implements Watchable {
  private readonly listeners = new Set<() => void>();

  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    if (Object.is(value, this.current)) return;
    this.current = value;
    this.listeners.forEach((l) => l());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Re-renders the component whenever `source` reports a change; returns `read()`. */
export function useWatch<T>(source: Watchable, read: () => T): T {
  const [, tick] = useState(0);
  useEffect(() => source.subscribe(() => tick((n) => n + 1)), [source]);
  return read();
}

export function useObservable<T>(source: Observable<T>): T {
  return useWatch(source, () => source.value);
}
