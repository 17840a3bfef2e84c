export const ROLES = ['admin', 'regulator', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

/** What a request or socket acts as: scope decides what it may see (docs/contracts.md §4). */
export interface Principal {
  id: string;
  username: string;
  role: Role;
  /** regulators: normalized region prefix of 2, 4 or 6 digits */
  regionCode: string | null;
  /** enterprise users: their enterprise */
  enterpriseId: string | null;
}
