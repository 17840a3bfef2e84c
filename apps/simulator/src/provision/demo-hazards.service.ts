import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_DISTRICT } from './demo-district.constants';
import { type DemoActor, DEMO_HAZARDS, DEMO_PUBLIC_REPORT, DEMO_USERS, type DemoHazard, type DemoStep } from './demo-hazards.constants';
import { demoUscc } from './uscc.factory';

export interface DemoHazardsOptions {
  /** the api's origin, e.g. http://127.0.0.1:3000 */
  apiUrl: string;
  admin: { username: string; password: string };
  /** passwords of demo.duty and demo.safety */
  passwords: { duty: string; safety: string };
  log?: (line: string) => void;
}

export interface DemoHazardsResult {
  /** description → id and the state it was left in; `created` false when it existed already */
  hazards: { description: string; id: string; status: string; overdue: boolean; created: boolean }[];
  report: 'filed' | 'exists';
}

interface HazardView {
  id: string;
  status: string;
  overdue: boolean;
  description: string;
}

class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Records the demo district's hazards and public report through the api's REST endpoints — the
 * same checks, events and audit rows as a user's clicks — idempotently: a hazard whose enterprise
 * already has one with its description is left as it is, as is a report with the demo's text.
 */
export class DemoHazardsService {
  private readonly tokens = new Map<DemoActor, string>();
  private readonly log: (line: string) => void;

  constructor(private readonly o: DemoHazardsOptions) {
    this.log = o.log ?? (() => undefined);
  }

  async seed(): Promise<DemoHazardsResult> {
    this.tokens.set('admin', await this.login(this.o.admin));
    const enterprises = await this.enterprises();
    await this.ensureUsers(enterprises);
    const result: DemoHazardsResult = { hazards: [], report: 'exists' };
    for (const h of DEMO_HAZARDS) {
      const enterpriseId = enterprises.get(h.serial);
      if (!enterpriseId) throw new Error(`demo enterprise ${h.serial} is not registered: run \`simulator provision\` first`);
      const existing = (await this.call<{ items: HazardView[] }>('admin', 'GET', `/hazards?enterpriseId=${enterpriseId}&pageSize=200`)).items.find((x) => x.description === h.description);
      if (existing) {
        result.hazards.push({ description: h.description, id: existing.id, status: existing.status, overdue: existing.overdue, created: false });
        continue;
      }
      const done = await this.walk(h, enterpriseId);
      result.hazards.push({ description: h.description, id: done.id, status: done.status, overdue: done.overdue, created: true });
      this.log(`hazard ${h.description}: ${done.status}${done.overdue ? ' (overdue)' : ''}`);
    }
    const reports = await this.call<{ items: { description: string }[] }>('admin', 'GET', '/reports?pageSize=200');
    if (!reports.items.some((r) => r.description === DEMO_PUBLIC_REPORT.description)) {
      const form = new FormData();
      form.append('enterpriseName', DEMO_PUBLIC_REPORT.enterpriseName);
      form.append('description', DEMO_PUBLIC_REPORT.description);
      const res = await fetch(`${this.o.apiUrl}/api/v1/public/reports`, { method: 'POST', body: form });
      if (res.status !== 201) throw new RestError(res.status, `filing the demo report: ${res.status} ${await res.text()}`);
      result.report = 'filed';
      this.log('public report filed (举报, waiting in the triage queue)');
    }
    return result;
  }

  /** Records the hazard as its reporter and takes its steps, each as the user who would. */
  private async walk(h: DemoHazard, enterpriseId: string): Promise<HazardView> {
    let hazard = await this.call<HazardView>(h.by, 'POST', '/hazards', {
      source: h.source,
      ...(h.by !== 'safety' && { enterpriseId }),
      article: h.article,
      item: h.item,
      description: h.description,
      location: h.location,
    });
    for (const step of h.steps) {
      const [path, body] = request(step);
      hazard = await this.call<HazardView>(step.as, 'POST', `/hazards/${hazard.id}/${path}`, body);
      if (step.action === 'plan-overdue') await sleep(step.seconds * 1000 + 500); // the deadline passes
    }
    return this.call<HazardView>('admin', 'GET', `/hazards/${hazard.id}`);
  }

  /** demo.duty (regulator of 3205) and demo.safety (the steel works' user), with the given passwords. */
  private async ensureUsers(enterprises: Map<number, string>): Promise<void> {
    const users = (await this.call<{ items: { id: string; username: string }[] }>('admin', 'GET', '/users?pageSize=500')).items;
    for (const who of ['duty', 'safety'] as const) {
      const spec = DEMO_USERS[who];
      const password = this.o.passwords[who];
      const found = users.find((u) => u.username === spec.username);
      if (!found) {
        const scope = spec.role === 'regulator' ? { regionCode: DEMO_USERS.duty.regionCode } : { enterpriseId: enterprises.get(DEMO_USERS.safety.serial) };
        await this.call('admin', 'POST', '/users', { username: spec.username, password, role: spec.role, ...scope });
        this.log(`user ${spec.username} created`);
      }
      try {
        this.tokens.set(who, await this.login({ username: spec.username, password }));
      } catch (err) {
        if (!found || !(err instanceof RestError) || err.status !== 401) throw err;
        // the password in .demo/secrets.env changed since the user was made: set it again (audited)
        await this.call('admin', 'POST', `/users/${found.id}/password`, { password });
        this.tokens.set(who, await this.login({ username: spec.username, password }));
      }
    }
  }

  private async enterprises(): Promise<Map<number, string>> {
    const page = await this.call<{ items: { id: string; uscc: string }[] }>('admin', 'GET', '/enterprises?pageSize=500');
    const byUscc = new Map(page.items.map((e) => [e.uscc, e.id]));
    const out = new Map<number, string>();
    for (const e of DEMO_DISTRICT) {
      const id = byUscc.get(demoUscc(e.regionCode, e.serial));
      if (id) out.set(e.serial, id);
    }
    return out;
  }

  private async login(user: { username: string; password: string }): Promise<string> {
    const res = await fetch(`${this.o.apiUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
    if (!res.ok) throw new RestError(res.status, `login of ${user.username}: ${res.status}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  private async call<T>(as: DemoActor, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.o.apiUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.tokens.get(as) ?? ''}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new RestError(res.status, `${method} ${path} as ${as}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** The REST path and body of a step. */
function request(step: DemoStep): [string, unknown] {
  switch (step.action) {
    case 'confirm':
      return ['confirm', {}];
    case 'plan':
      return ['plan', { measures: step.measures, responsible: step.responsible, funds: step.funds, deadline: new Date(Date.now() + step.days * 86_400_000).toISOString() }];
    case 'plan-overdue':
      return ['plan', { measures: step.measures, responsible: step.responsible, deadline: new Date(Date.now() + step.seconds * 1000).toISOString() }];
    case 'submit':
      return ['evidence', { text: step.text }];
    case 'return':
      return ['return', { reason: step.reason }];
    case 'sign-off':
      return ['sign-off', {}];
  }
}
