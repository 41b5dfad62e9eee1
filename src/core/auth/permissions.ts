import systemRolesJson from "./system-roles.json";

/**
 * The permission catalogue (`resource:action`) and the default roles every tenant gets.
 * System roles take their permissions from here, so a module that adds permissions extends the
 * defaults without a data migration. Modules add their permissions as they land.
 */
export const PERMISSIONS = [
  "tenants:read",
  "tenants:write",
  "members:manage",
  "users:read",
  "users:write",
  "users:delete",
  "roles:read",
  "roles:write",
  "roles:assign",
  "teams:read",
  "teams:write",
  "audit:read",
  "brands:read",
  "brands:write",
  "surveys:read",
  "surveys:write",
  "shops:read",
  "shops:write",
  "visits:read",
  "visits:create",
  "photos:read",
  "photos:create",
  "analytics:read",
  "admin:reports",
  "goals:read",
  "goals:write",
  "call_cycles:read",
  "call_cycles:write",
  "analytics:coverage",
  "attendance:read",
  "attendance:write",
  "attendance:check_in",
  "attendance:kiosk",
  "leave:request",
  "leave:approve",
  "crm:read",
  "crm:write",
  "crm:read_all",
  "contacts:write",
  "deals:read",
  "deals:write",
  "deals:rollback",
  "tasks:read",
  "tasks:write",
  "trash:purge",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const DATA_SCOPES = ["own", "team", "subtree", "tenant"] as const;
/** Which rows a role sees: its own, its team's, every team below its teams, or the whole tenant. */
export type DataScope = (typeof DATA_SCOPES)[number];

export const SYSTEM_ROLE_NAMES = [
  "owner",
  "admin",
  "national_manager",
  "regional_manager",
  "area_manager",
  "manager",
  "team_leader",
  "agent",
  "member",
  "viewer",
] as const;

export type SystemRoleName = (typeof SYSTEM_ROLE_NAMES)[number];

/**
 * The seeds' role names, accepted wherever a role is named to grant it (DESIGN §2): seed 002/004's
 * `org_admin` is `admin`; seed 002's `employee` (checks in, requests leave, reads their own
 * records), seed 003's `user` and seed 001's `editor` (a member who writes interactions) are
 * `member`; seed 001's `admin` and `viewer` are ours already.
 */
export const ROLE_ALIASES: Readonly<Record<string, SystemRoleName>> = {
  org_admin: "admin",
  user: "member",
  editor: "member",
  employee: "member",
};

/** A role name as granted: a seed alias becomes the role it stands for, anything else is itself. */
export function canonicalRoleName(name: string): string {
  return ROLE_ALIASES[name] ?? name;
}

export interface RoleDefinition {
  permissions: readonly Permission[];
  scope: DataScope;
  description: string;
}

/** "*" = every permission, "*:read" = every read permission, otherwise one permission. */
function expand(patterns: readonly string[]): Permission[] {
  return PERMISSIONS.filter((p) =>
    patterns.some(
      (pattern) => pattern === "*" || pattern === p || (pattern === "*:read" && p.endsWith(":read")),
    ),
  );
}

/**
 * The default roles, from system-roles.json (shared with the dev seed script), expanded against
 * the catalogue: a module that adds permissions extends "*" and "*:read" roles automatically.
 */
export const SYSTEM_ROLES = Object.fromEntries(
  SYSTEM_ROLE_NAMES.map((name) => {
    const def = systemRolesJson[name];
    return [
      name,
      { permissions: expand(def.permissions), scope: def.scope as DataScope, description: def.description },
    ];
  }),
) as unknown as Readonly<Record<SystemRoleName, RoleDefinition>>;

const SCOPE_RANK: Record<DataScope, number> = { own: 0, team: 1, subtree: 2, tenant: 3 };

/** A user with several roles gets the union of permissions and the widest scope. */
export function widestScope(scopes: Iterable<DataScope>): DataScope {
  let widest: DataScope = "own";
  for (const s of scopes) if (SCOPE_RANK[s] > SCOPE_RANK[widest]) widest = s;
  return widest;
}

export function isSystemRoleName(name: string): name is SystemRoleName {
  return (SYSTEM_ROLE_NAMES as readonly string[]).includes(name);
}

export interface GrantingRole {
  name: string;
  isSystem: boolean;
  permissions: readonly string[];
  scope: DataScope;
}

/**
 * What a user's roles grant: system roles from the catalogue above (so they follow the code),
 * custom roles from their stored permissions; the widest scope wins.
 */
export function resolveGrants(roles: readonly GrantingRole[]): { permissions: string[]; scope: DataScope } {
  const permissions = new Set<string>();
  const scopes: DataScope[] = [];
  for (const role of roles) {
    const grants = roleGrants(role);
    for (const p of grants.permissions) permissions.add(p);
    scopes.push(grants.scope);
  }
  return { permissions: [...permissions].sort(), scope: widestScope(scopes) };
}

/** The system role rows a new tenant starts with. */
export function systemRoleRows(tenantId: string, newId: () => string) {
  return SYSTEM_ROLE_NAMES.map((name) => ({
    tenantId,
    id: newId(),
    name,
    description: SYSTEM_ROLES[name].description,
    permissions: [...SYSTEM_ROLES[name].permissions],
    scope: SYSTEM_ROLES[name].scope,
    isSystem: true,
  }));
}

/** The permissions and scope a role grants: the catalogue's for system roles, its own otherwise. */
export function roleGrants(role: GrantingRole): { permissions: readonly string[]; scope: DataScope } {
  const definition = role.isSystem && isSystemRoleName(role.name) ? SYSTEM_ROLES[role.name] : undefined;
  return definition ?? { permissions: role.permissions, scope: role.scope };
}

/**
 * No escalation: a caller may grant (or take away) a role only if it grants nothing they lack —
 * every permission and a scope no wider than their own — and only an owner deals in `owner`.
 */
export function canGrant(
  caller: {
    roles: readonly string[];
    permissions: ReadonlySet<string>;
    scope: DataScope;
    isSuperAdmin?: boolean;
  },
  role: GrantingRole,
): boolean {
  if (caller.isSuperAdmin) return true;
  if (role.isSystem && role.name === "owner" && !caller.roles.includes("owner")) return false;
  const grants = roleGrants(role);
  return (
    grants.permissions.every((p) => caller.permissions.has(p)) &&
    SCOPE_RANK[grants.scope] <= SCOPE_RANK[caller.scope]
  );
}
