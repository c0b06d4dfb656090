/** Plans decide providers, deployment modes, scan credits and the per-token rate limit (README, "Admin command"). */
export const PLAN_NAMES = ['free', 'team', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export const PROVIDERS = ['generic_webhook'] as const;
export type ProviderKey = (typeof PROVIDERS)[number];
export const DEPLOYMENT_MODES = ['cloud', 'self-hosted', 'webhook-only'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

export interface Plan {
  providers: readonly ProviderKey[];
  deploymentModes: readonly DeploymentMode[];
  /** Scan credits a new account starts with (admin --credits overrides). */
  initialCredits: number;
  /** Requests per rate-limit window (WRO_RATE_LIMIT_WINDOW_SECONDS, default 60 s) per token. */
  rateLimit: number;
}

export const PLANS: Record<PlanName, Plan> = {
  free: { providers: [], deploymentModes: [], initialCredits: 10, rateLimit: 60 },
  team: {
    providers: ['generic_webhook'],
    deploymentModes: ['cloud', 'webhook-only'],
    initialCredits: 100,
    rateLimit: 600,
  },
  enterprise: {
    providers: ['generic_webhook'],
    deploymentModes: ['cloud', 'self-hosted', 'webhook-only'],
    initialCredits: 1000,
    rateLimit: 3000,
  },
};

export function planOf(name: string): Plan {
  return PLANS[(PLAN_NAMES as readonly string[]).includes(name) ? (name as PlanName) : 'free'];
}
