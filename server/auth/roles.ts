/**
 * The four roles, in increasing power. Each role may do everything the ones below it may: the
 * policy (policy.ts) names the least role a route needs, so a comparison of ranks decides.
 */
export const ROLES = ['viewer', 'operator', 'planner', 'admin'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True when `role` is at least `min`. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** Type guard for role names arriving from the CLI, the API or the database. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * What each role adds to the one below it, as stable keys the sign-in page translates. Kept
 * beside the roles so the page and the policy cannot drift apart silently (a test checks that
 * every key names a policy rule's role).
 */
const ROLE_ABILITIES: Record<Role, readonly string[]> = {
  viewer: ['read'],
  operator: ['ingest_issues', 'workflow'],
  planner: ['edit_plans', 'publish_plans'],
  admin: ['import', 'users', 'audit', 'backup'],
};

/** Everything `role` may do, its own abilities and those of every role below it. */
export function abilitiesOf(role: Role): string[] {
  return ROLES.slice(0, ROLES.indexOf(role) + 1).flatMap((r) => ROLE_ABILITIES[r]);
}
