// The enterprises in the user's scope, for names, districts and risk categories on the board
// (an alarm carries only its enterpriseId). Reloaded when an alarm names one it does not know.
import type { Enterprise, Page } from '../api/api.types';
import type { HttpClient } from '../api/http.client';
import { Observable } from './observable';

const PAGE_SIZE = 500; // docs/contracts.md §4: at most 500
const RELOAD_GAP_MS = 10_000;

export class EnterpriseDirectory extends Observable<ReadonlyMap<string, Enterprise>> {
  private loading: Promise<void> | null = null;
  private loadedAt = 0;

  constructor(private readonly http: HttpClient) {
    super(new Map());
  }

  get(id: string): Enterprise | undefined {
    return this.value.get(id);
  }

  /** Six-digit district codes present in scope, sorted. */
  districts(): string[] {
    return [...new Set([...this.value.values()].map((e) => e.regionCode))].sort();
  }

  /** Loads the directory; a lookup that misses calls it again, at most every 10 s. */
  load(): Promise<void> {
    this.loading ??= this.fetchAll().finally(() => {
      this.loading = null;
      this.loadedAt = Date.now();
    });
    return this.loading;
  }

  ensure(id: string): void {
    if (!this.value.has(id) && !this.loading && Date.now() - this.loadedAt > RELOAD_GAP_MS) void this.load().catch(() => undefined);
  }

  private async fetchAll(): Promise<void> {
    const all = new Map<string, Enterprise>();
    for (let page = 1; ; page++) {
      const res = await this.http.get<Page<Enterprise>>('/enterprises', { page, pageSize: PAGE_SIZE });
      res.items.forEach((e) => all.set(e.id, e));
      if (page * PAGE_SIZE >= res.total || res.items.length === 0) break;
    }
    this.set(all);
  }
}
