import { Inject, Injectable, Logger } from '@nestjs/common';
import { EvaluationRegistryRepository, RegistryListener, RulesRepository, type EvaluationPoint, type RegistryChange } from '@sw/persistence';
import { contextsOf, type RuleDefinition } from '@sw/rules';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';
import { PointRulesFactory, StoredRuleIndex } from './point-rules.factory';

/** What changed in the registry since the last update. */
export interface RegistryUpdate {
  /** Points added or changed (registry fields, thresholds, maintenance). */
  changed: EvaluationPoint[];
  /** Ids of points that are gone. */
  removed: string[];
  /** Set when the stored rules were reloaded: the index before, to find the points whose rules moved. */
  rulesBefore: StoredRuleIndex | null;
  /** Gateways whose context points (casting_active, equipment_running) changed: every point's gates may move. */
  contextGateways: Set<string>;
}

const isContext = (p: EvaluationPoint): boolean => p.type === 'casting_active' || p.type === 'equipment_running';

// Bulk edits send thousands of NOTIFYs; one reload serves a burst.
const COALESCE_MS = 50;

/**
 * The points alerting evaluates and the stored rules, in memory: loaded at start, refreshed when
 * PostgreSQL announces a change (NOTIFY registry_changed, also sent for the `rules` table), so new
 * points, edited thresholds, rules and maintenance windows take effect without a restart.
 */
@Injectable()
export class PointRegistryService {
  private readonly logger = new Logger(PointRegistryService.name);
  private readonly points = new Map<string, EvaluationPoint>();
  /** Per gateway, its context points. */
  private readonly contextPoints = new Map<string, Map<string, EvaluationPoint>>();
  private readonly factory: PointRulesFactory;
  private readonly reported = new Set<string>();
  private readonly strings = new Map<string, string>();
  private index = new StoredRuleIndex([]);
  private listener: RegistryListener | null = null;
  private pending = new Map<string, RegistryChange>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> = Promise.resolve();
  private handler: (update: RegistryUpdate) => void = () => undefined;

  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly repo: EvaluationRegistryRepository,
    private readonly rulesRepo: RulesRepository,
  ) {
    this.factory = new PointRulesFactory(config.ALERTING_TIME_SCALE, config.ALERTING_CONTEXT_GRACE_S);
  }

  /** LISTEN first, then load: no change between the two is missed. */
  async start(): Promise<void> {
    this.listener = new RegistryListener(
      this.config.DATABASE_URL,
      (change) => this.schedule(change),
      () => this.enqueue(() => this.resync()),
      (err) => this.logger.warn(`registry listener: ${err.message}`),
    );
    await this.listener.start();
    for (const p of await this.repo.points()) this.put(this.interned(p));
    this.index = new StoredRuleIndex(await this.rulesRepo.listEnabled());
    this.logger.log(`registry loaded: ${this.points.size} points, ${this.index.rules.length} stored rules`);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.stop();
  }

  onUpdate(handler: (update: RegistryUpdate) => void): void {
    this.handler = handler;
  }

  get(id: string): EvaluationPoint | undefined {
    return this.points.get(id);
  }

  all(): IterableIterator<EvaluationPoint> {
    return this.points.values();
  }

  get rules(): StoredRuleIndex {
    return this.index;
  }

  /** The point's rules now: catalog defaults and thresholds plus the stored rules that apply. */
  rulesFor(point: EvaluationPoint): readonly RuleDefinition[] {
    const contexts = contextsOf(this.contextPoints.get(point.gatewayId)?.values() ?? []);
    const { rules, problems } = this.factory.rulesFor(point, this.index.applicable(point), contexts);
    for (const p of problems) {
      if (this.reported.has(p)) continue; // once per problem, not per evaluation
      this.reported.add(p);
      this.logger.warn(`left out: ${p}`);
    }
    return rules;
  }

  /** Resolves once every change announced so far has been applied (tests use it). */
  settled(): Promise<void> {
    return this.refreshing;
  }

  private schedule(change: RegistryChange): void {
    this.pending.set(`${change.table}|${change.id}`, change);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const changes = [...this.pending.values()];
      this.pending = new Map();
      this.enqueue(() => this.apply(changes));
    }, COALESCE_MS);
  }

  private enqueue(task: () => Promise<void>): void {
    this.refreshing = this.refreshing.then(task).catch((err: Error) => this.logger.error(`registry refresh failed: ${err.stack ?? err.message}`));
  }

  private async apply(changes: RegistryChange[]): Promise<void> {
    const rulesBefore = changes.some((c) => c.table === 'rules') ? await this.reloadRules() : null;
    const ids = new Set<string>();
    for (const change of changes) for (const id of await this.repo.pointIdsFor(change)) ids.add(id);
    const changed = ids.size > 0 ? await this.repo.points([...ids]) : [];
    for (const p of changed) ids.delete(p.id);
    const contextGateways = new Set<string>();
    const removed = [...ids].filter((id) => this.remove(id, contextGateways));
    const fresh = changed.map((p) => this.interned(p));
    for (const p of fresh) this.put(p, contextGateways);
    this.handler({ changed: fresh, removed, rulesBefore, contextGateways });
  }

  // After the listener reconnected: notifications sent meanwhile are lost, so reload everything.
  private async resync(): Promise<void> {
    const rulesBefore = await this.reloadRules();
    const fresh = (await this.repo.points()).map((p) => this.interned(p));
    const ids = new Set(fresh.map((p) => p.id));
    const removed = [...this.points.keys()].filter((id) => !ids.has(id));
    this.points.clear();
    this.contextPoints.clear();
    for (const p of fresh) this.put(p);
    this.handler({ changed: fresh, removed, rulesBefore, contextGateways: new Set() }); // every point is in `changed`
  }

  /** Adopts a point read from PostgreSQL outside a NOTIFY (a reading for a point not known yet): answers it with its rules. */
  async load(id: string): Promise<EvaluationPoint | undefined> {
    const [row] = await this.repo.points([id]);
    if (!row) return undefined;
    const p = this.interned(row);
    this.put(p);
    return p;
  }

  // Keeps the point and the per-gateway index of context points; notes a gateway whose contexts changed.
  private put(p: EvaluationPoint, contextGateways?: Set<string>): void {
    const old = this.points.get(p.id);
    if (old && isContext(old)) {
      this.contextPoints.get(old.gatewayId)?.delete(old.id);
      if (!isContext(p) || old.gatewayId !== p.gatewayId || old.code !== p.code) contextGateways?.add(old.gatewayId);
    }
    this.points.set(p.id, p);
    if (!isContext(p)) return;
    let byId = this.contextPoints.get(p.gatewayId);
    if (!byId) this.contextPoints.set(p.gatewayId, (byId = new Map()));
    byId.set(p.id, p);
    if (!old || !isContext(old) || old.gatewayId !== p.gatewayId) contextGateways?.add(p.gatewayId);
  }

  private remove(id: string, contextGateways: Set<string>): boolean {
    const old = this.points.get(id);
    if (!old) return false;
    this.points.delete(id);
    if (isContext(old)) {
      this.contextPoints.get(old.gatewayId)?.delete(id);
      contextGateways.add(old.gatewayId);
    }
    return true;
  }

  // Every row brings its own copy of its gateway's and enterprise's strings; one copy of each will do.
  private interned(p: EvaluationPoint): EvaluationPoint {
    const s = (v: string): string => {
      const known = this.strings.get(v);
      if (known !== undefined) return known;
      this.strings.set(v, v);
      return v;
    };
    return { ...p, type: s(p.type) as EvaluationPoint['type'], unit: s(p.unit), gatewayId: s(p.gatewayId), enterpriseId: s(p.enterpriseId), enterpriseName: s(p.enterpriseName), regionCode: s(p.regionCode) };
  }

  private async reloadRules(): Promise<StoredRuleIndex> {
    const before = this.index;
    this.index = new StoredRuleIndex(await this.rulesRepo.listEnabled());
    this.factory.forgetStored();
    this.reported.clear();
    return before;
  }
}
