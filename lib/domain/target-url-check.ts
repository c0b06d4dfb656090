import { TargetUrlUnsafeError } from '../errors.ts';
import type { CheckedTarget, Resolver } from '../net/target-url.ts';

/**
 * checkTargetUrl (lib/net/target-url.ts) plus one distinction it does not make: whether the refusal
 * came from the name not resolving at all. Under the development switch a name that does not resolve
 * (the docs' placeholder `hooks.example.test`) may still be saved — it is checked again at every send —
 * and at send time a resolution failure is a transient, retryable error rather than an unsafe target.
 */
export type TargetUrlVerdict =
  | { kind: 'safe'; target: CheckedTarget }
  | { kind: 'unresolved'; error: TargetUrlUnsafeError }
  | { kind: 'unsafe'; error: TargetUrlUnsafeError };

/** The system's DNS (getaddrinfo), every address. Tests hand in their own resolver instead. */
export const systemResolver: Resolver = async (host) => {
  const { promises: dns } = await import('node:dns');
  return dns.lookup(host, { all: true, verbatim: true });
};

/**
 * The rule for saving a target URL (creation, update, re-enabling): unsafe is refused (422
 * TARGET_URL_UNSAFE); a name that does not resolve is refused in production, but kept under the
 * development switch (placeholder hosts such as hooks.example.test) if it is https or local — every
 * send checks the URL again.
 */
export async function acceptTargetUrl(
  url: string,
  deps: { config: { allowPrivateTargets: boolean }; resolve?: Resolver },
): Promise<void> {
  const verdict = await judgeTargetUrl(url, deps.config.allowPrivateTargets, deps.resolve);
  if (verdict.kind === 'unsafe') throw verdict.error;
  if (verdict.kind === 'unresolved') {
    if (!deps.config.allowPrivateTargets) throw verdict.error;
    // Plain http is for local receivers only; a name that does not resolve cannot be shown to be one.
    if (new URL(url).protocol !== 'https:') {
      throw new TargetUrlUnsafeError('only https URLs are allowed for hosts that are not local');
    }
  }
}

export async function judgeTargetUrl(
  raw: string,
  allowPrivate: boolean,
  base: Resolver = systemResolver,
): Promise<TargetUrlVerdict> {
  let resolutionFailed = false;
  let pending = false;
  const resolve: Resolver = async (host) => {
    pending = true;
    try {
      const answers = await base(host);
      if (!Array.isArray(answers) || answers.length === 0) resolutionFailed = true;
      return answers;
    } catch (err) {
      resolutionFailed = true;
      throw err;
    } finally {
      pending = false;
    }
  };
  // Loaded on first use: the address policy (ipaddr.js and its range tables) is evaluated by the
  // first check, not by the import of every function that may check a URL (docs/deploy.md, "Bundles").
  const { checkTargetUrl } = await import('../net/target-url.ts');
  try {
    return { kind: 'safe', target: await checkTargetUrl(raw, { allowPrivate, resolve }) };
  } catch (err) {
    if (!(err instanceof TargetUrlUnsafeError)) throw err;
    // Still pending when the check gave up: the resolver timed out, which is a resolution failure too.
    return { kind: resolutionFailed || pending ? 'unresolved' : 'unsafe', error: err };
  }
}
