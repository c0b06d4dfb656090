/** Scopes are `<family>:<read|write>`; a token holds a subset of ALL_SCOPES (docs/platform.md). */
export const SCOPE_FAMILIES = ['projects', 'scan_runs', 'targets', 'exports'] as const;
export type Scope = `${(typeof SCOPE_FAMILIES)[number]}:${'read' | 'write'}`;
export const ALL_SCOPES: Scope[] = SCOPE_FAMILIES.flatMap((f) => [`${f}:read`, `${f}:write`] as Scope[]);
