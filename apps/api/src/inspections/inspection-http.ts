// The inspections' domain codes and their HTTP statuses (docs/contracts.md §4: 404 outside the scope, 409 a refused change);
// the answer itself is `toHttp` of http/coded-http.ts.
import type { InspectionActor, Principal } from '@sw/persistence';

export const STATUS_OF: Record<string, number> = {
  not_found: 404,
  invalid_state: 409,
  invalid_input: 400,
  duplicate: 409,
  conflict_of_interest: 409,
  inspector_unavailable: 409,
  forbidden_role: 403,
};


export function actorOf(p: Principal): InspectionActor {
  return { id: p.id, username: p.username, role: p.role };
}
