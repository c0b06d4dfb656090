import { isPlaceholder, SECRET_FIELD_NAME, SECRET_RULES, type SecretRule } from './secret-rules.ts';

export interface Redaction {
  type: string;
  count: number;
}

const marker = (type: string) => `[REDACTED:${type}]`;

interface CompiledRule {
  rule: SecretRule;
  /** The rule's pattern with `g` (scan) and `d` (group indices, to replace only the secret's span). */
  re: RegExp;
  groups: readonly number[];
}

let compiled: { all: readonly CompiledRule[]; identifiers: readonly CompiledRule[] } | undefined;

/**
 * The table's rules compiled for scanning, on first use: most requests never redact anything, and
 * compiling ~30 patterns at import was part of every function's cold start.
 */
function compiledRules(): NonNullable<typeof compiled> {
  if (!compiled) {
    const all = SECRET_RULES.map((rule) => {
      const flags = new Set(rule.pattern.flags);
      flags.add('g');
      flags.add('d');
      const groups =
        rule.group === undefined ? [0] : typeof rule.group === 'number' ? [rule.group] : rule.group;
      return { rule, re: new RegExp(rule.pattern.source, [...flags].join('')), groups };
    });
    compiled = { all, identifiers: all.filter((c) => c.rule.identifiers !== false) };
  }
  return compiled;
}

/** Start and end of the secret inside a match: the first listed group that took part. */
function secretSpan(m: RegExpExecArray, groups: readonly number[]): [number, number] | undefined {
  for (const g of groups) {
    const span = m.indices?.[g];
    if (span) return span;
  }
  return undefined;
}

/** One rule over the text: the text with its secrets replaced, and how many. */
function applyRule({ rule, re, groups }: CompiledRule, text: string): { text: string; count: number } {
  let out = '';
  let last = 0;
  let count = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++; // never happens with the table's patterns; guards against an endless loop
      continue;
    }
    const span = secretSpan(m, groups);
    if (!span) continue;
    const secret = text.slice(span[0], span[1]);
    if (secret.includes('[REDACTED:')) continue;
    if (rule.validate && !rule.validate(secret, m[0])) continue;
    out += text.slice(last, span[0]) + marker(rule.type);
    last = span[1];
    count++;
  }
  return count === 0 ? { text, count } : { text: out + text.slice(last), count };
}

/**
 * Replaces every secret the rule table finds with a typed marker, e.g. `[REDACTED:github_token]`, and
 * says how many of each type were replaced. Context around a secret is kept (`password="…"` becomes
 * `password="[REDACTED:generic_secret]"`). Idempotent: redacting twice equals redacting once.
 */
export function redactSecrets(text: string): { text: string; redactions: Redaction[] } {
  const redactions: Redaction[] = [];
  let out = text;
  for (const rule of compiledRules().all) {
    const r = applyRule(rule, out);
    if (r.count > 0) {
      out = r.text;
      redactions.push({ type: rule.rule.type, count: r.count });
    }
  }
  return { text: out, redactions };
}

/** The marker types the identifier rules give a text, in table order. */
function identifierSecretTypes(text: string): string[] {
  const types: string[] = [];
  let out = text;
  for (const rule of compiledRules().identifiers) {
    const r = applyRule(rule, out);
    if (r.count > 0) {
      out = r.text;
      types.push(rule.rule.type);
    }
  }
  return types;
}

/**
 * For identifiers (issue fingerprints, artifact storage keys): they are stored, compared and shown
 * exactly, so one that holds a secret is refused, never redacted. Gives, per value, the marker types
 * of the secrets the table finds in it (`[]`: none), with every rule except those marked
 * `identifiers: false`. The values are first scanned as one text, one line each (one pass per rule
 * instead of one per value and rule; no rule that applies here matches across a line break within
 * identifier characters), and one by one only when that finds something.
 */
export function secretTypesInIdentifiers(values: readonly string[]): string[][] {
  if (values.length === 0 || identifierSecretTypes(values.join('\n')).length === 0) {
    return values.map(() => []);
  }
  return values.map(identifierSecretTypes);
}

/** Text with secrets replaced (when only the text is needed). */
export function redactText(text: string): string {
  return redactSecrets(text).text;
}

/**
 * Headers whose whole value is a credential: the named ones, and any name containing api-key, token,
 * secret, session, password, cookie or authorization.
 */
const SENSITIVE_HEADER =
  /^(?:set-cookie|cookie|authorization|proxy-authorization|x-api-key|api-key|x-auth-token)$|api[-_]?key|token|secret|session|passw(?:or)?d|cookie|authorization/i;

/** Marker type for a header: its name in snake case (`Set-Cookie` → `set_cookie`). */
function headerType(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'header'
  );
}

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name.trim());
}

/**
 * Response headers as stored: credential-bearing headers (Set-Cookie, Cookie, Authorization,
 * Proxy-Authorization, API-key, token, secret and session headers) become `[REDACTED:<header>]`, e.g.
 * `[REDACTED:set_cookie]`; every other value goes through the secret detector.
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const redacted = isSensitiveHeader(name) ? marker(headerType(name)) : redactText(value);
    Object.defineProperty(out, name, {
      value: redacted,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A string value under an object key: the detector's output, or, when the key names a secret
 * (`password`, `clientSecret`, `api_key`, `token`…) and the value is neither a placeholder nor already
 * redacted, `[REDACTED:generic_secret]` (the key is the context that `password=` gives in text).
 */
function redactField(key: string, value: string): string {
  const out = redactText(value);
  if (out !== value || !SECRET_FIELD_NAME.test(key) || isPlaceholder(value)) return out;
  return marker('generic_secret');
}

/**
 * Applies the detector to every string inside a JSON value: string values (with their key as context,
 * see redactField) and object keys (two keys that redact to the same marker collapse into one). Arrays
 * and plain objects are copied; other values are returned as they are. Iterative, so deeply nested
 * input cannot overflow the stack.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (!isContainer(value)) return value;
  const copies = new Map<Container, Container>();
  const pending: Container[] = [];
  const copyOf = (src: Container): Container => {
    let dst = copies.get(src);
    if (!dst) {
      dst = Array.isArray(src) ? [] : {};
      copies.set(src, dst);
      pending.push(src);
    }
    return dst;
  };
  const leafOrCopy = (v: unknown): unknown =>
    typeof v === 'string' ? redactText(v) : isContainer(v) ? copyOf(v) : v;
  const root = copyOf(value);
  for (let src = pending.pop(); src !== undefined; src = pending.pop()) {
    const dst = copies.get(src)!;
    if (Array.isArray(src)) {
      for (const v of src) (dst as unknown[]).push(leafOrCopy(v));
    } else {
      for (const [k, v] of Object.entries(src)) {
        // defineProperty: a `__proto__` key from JSON.parse stays a plain property.
        Object.defineProperty(dst, redactText(k), {
          value: typeof v === 'string' ? redactField(k, v) : leafOrCopy(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return root as T;
}
