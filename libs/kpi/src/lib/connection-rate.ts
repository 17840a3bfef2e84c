// 接入率 (docs/domain.md "KPIs", issue 14): connected means the mandatory set is registered and reporting,
// judged at an instant — not "one reading once, connected forever".

const DAY_MS = 86_400_000;

/** Default N of "every mandatory point reported within the last N days". */
export const CONNECTION_WINDOW_DAYS = 7;

/** A point of an enterprise as the connection rate sees it at the instant asked about. */
export interface ConnectionPoint {
  mandatory: boolean;
  /** point type code (docs/contracts.md §4), matched against a template's required types */
  type: string;
  /** the newest reading at or before the instant, or null */
  lastReadingAt: number | null;
}

/**
 * The mandatory set an enterprise must have registered, when a category template says so: the
 * point types required (each at least once among its mandatory points). `null` means no template
 * is known, and the enterprise's registered mandatory points are the set.
 */
export type RequiredTypes = readonly string[] | null;

export interface EnterpriseConnection {
  /** the mandatory set is registered: at least one mandatory point, covering every required type */
  registered: boolean;
  /** registered, and every mandatory point reported within the window */
  connected: boolean;
  mandatoryPoints: number;
  /** mandatory points whose last reading is within the window */
  reportingPoints: number;
  /** required types with no mandatory point of that type */
  missingTypes: string[];
}

/**
 * Whether an enterprise counts as connected at instant `at`: its mandatory set is registered and
 * every mandatory point delivered a reading in (at − windowDays, at].
 */
export function enterpriseConnection(points: readonly ConnectionPoint[], at: number, required: RequiredTypes = null, windowDays = CONNECTION_WINDOW_DAYS): EnterpriseConnection {
  const mandatory = points.filter((p) => p.mandatory);
  const since = at - windowDays * DAY_MS;
  const reporting = mandatory.filter((p) => p.lastReadingAt !== null && p.lastReadingAt > since && p.lastReadingAt <= at).length;
  const types = new Set(mandatory.map((p) => p.type));
  const missingTypes = (required ?? []).filter((t) => !types.has(t));
  const registered = mandatory.length > 0 && missingTypes.length === 0;
  return { registered, connected: registered && reporting === mandatory.length, mandatoryPoints: mandatory.length, reportingPoints: reporting, missingTypes };
}
