// The kind of each inspection domain code (docs/contracts.md §4: 404 outside the scope, 409 a refused
// change); @sw/http-edge maps kinds to statuses.
import type { ErrorKind } from '@sw/errors';
import type { InspectionActor, Principal } from '@sw/persistence';

export const KIND_OF: Record<string, ErrorKind> = {
  not_found: 'not_found',
  invalid_state: 'conflict',
  invalid_input: 'invalid',
  duplicate: 'conflict',
  conflict_of_interest: 'conflict',
  inspector_unavailable: 'conflict',
  forbidden_role: 'forbidden',
};


export function actorOf(p: Principal): InspectionActor {
  return { id: p.id, username: p.username, role: p.role };
}
