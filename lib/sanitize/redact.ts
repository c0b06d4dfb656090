import { SECRET_RULES } from './secret-rules.ts';

export interface Redaction {
  type: string;
  count: number;
}

const marker = (type: string) => `[REDACTED:${type}]`;

/**
 * Replaces every secret the rule table finds with a typed marker, e.g. `[REDACTED:github_token]`.
 * Idempotent: markers never match a rule, so redacting twice equals redacting once.
 */
export function redactSecrets(text: string): { text: string; redactions: Redaction[] } {
  const counts = new Map<string, number>();
  let out = text;
  for (const rule of SECRET_RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      const match = args[0] as string;
      const group = rule.group ?? 0;
      const secret = group === 0 ? match : (args[group] as string | undefined);
      if (secret === undefined || secret.includes('[REDACTED:')) return match;
      if (rule.validate && !rule.validate(secret)) return match;
      counts.set(rule.type, (counts.get(rule.type) ?? 0) + 1);
      // Group rules are written as (kept prefix)(secret) covering the whole match, e.g. `password=` + value.
      return group === 0 ? marker(rule.type) : `${args[1] as string}${marker(rule.type)}`;
    });
  }
  return { text: out, redactions: [...counts].map(([type, count]) => ({ type, count })) };
}

/** Text with secrets replaced (when only the text is needed). */
export function redactText(text: string): string {
  return redactSecrets(text).text;
}

/** Headers whose whole value is a credential, by normalised name. */
const SENSITIVE_HEADER =
  /^(?:set-cookie|cookie|authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|x-csrf-token|x-xsrf-token)$|api[-_]?key|token|secret|session|password/i;

/**
 * Response headers as stored: credential-bearing headers (Set-Cookie, Cookie, Authorization,
 * Proxy-Authorization, API-key, token, secret and session headers) become `[REDACTED:<header>]`;
 * every other value goes through the secret detector.
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SENSITIVE_HEADER.test(name)
      ? marker(name.toLowerCase().replace(/[^a-z0-9]+/g, '_'))
      : redactText(value);
  }
  return out;
}

/** Applies the detector to every string inside a JSON value (object keys are kept). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
