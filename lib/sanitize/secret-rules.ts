/**
 * THE secret-detection rule table. Each rule names the marker type written in place of a match
 * (`[REDACTED:<type>]`, see redact.ts). Rules run in table order over the output of the previous rule:
 * specific formats come first, then credentials found by context (URL userinfo, Authorization schemes,
 * `password=` style assignments), then card numbers.
 *
 * Linear time on hostile input (evidence can be 6 MB), by construction:
 * - every repetition is bounded or runs over a class that cannot also match what follows it, and no
 *   quantified group contains another quantifier over overlapping characters (no nested ambiguity);
 * - a token may only start where the previous character cannot belong to the token (`\b` for
 *   word-only tokens, a lookbehind on the token's own class otherwise; tokenStart also allows the end
 *   of a `%XX` or `\n` escape, whose `%` or `\` breaks any run), so a long run of token characters is
 *   scanned by one attempt, not restarted at every position.
 * - no pattern can match a marker: markers are `[REDACTED:<a-z_>]`, and context rules skip values
 *   that contain one, so redacting twice equals redacting once.
 */
export interface SecretRule {
  /** Marker type, `[a-z_]+`. */
  type: string;
  description: string;
  /** Global regex. */
  pattern: RegExp;
  /**
   * Capture group holding the secret; the rest of the match (e.g. `password=`, the quotes, the
   * `user:` of a URL) is kept. Several groups: alternatives, the one that took part is the secret.
   * Omitted: the whole match is the secret.
   */
  group?: number | readonly number[];
  /** Extra check on the secret (entropy, Luhn, JWT header, placeholder…); false keeps the text. */
  validate?: (secret: string, match: string) => boolean;
  /**
   * false: not applied to identifiers (issue fingerprints, artifact paths; see
   * secretTypesInIdentifiers in redact.ts). For a rule whose only evidence is a name before the value:
   * in an identifier, `token:` or `secret-` names a finding (`missing-csrf-token:login-form`), it does
   * not assign a credential.
   */
  identifiers?: false;
}

// ---------------------------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------------------------

export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Words people put where a secret would go in docs, configs and code. */
const PLACEHOLDER_WORD =
  /^(?:change[_-]?me|change[_-]?it|password|passwd|pass|secret|token|apikey|api[_-]?key|example|sample|redacted|removed|hidden|masked|placeholder|dummy|fake|test|testing|null|nil|none|undefined|true|false|yes|no|empty|blank|required|optional|string|number|todo|tbd|bearer|basic|(?:your|my|the|insert|enter|replace)[_-]?[a-z_-]*)$/i;

/**
 * True for values that are not secrets: too short, template or variable references (`${X}`, `{{x}}`,
 * `<x>`, `%(x)s`, `$(x)`, `$VAR`, `%VAR%`), already-redacted markers, placeholder words, masks
 * (`****`, `xxxx`, `•••`) and strings of fewer than 3 distinct characters.
 */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim();
  if (v.length < 4) return true;
  if (v.includes('[REDACTED:')) return true;
  if (/^(?:\$\{|\{\{|\$\(|%\(|<)|^\$[A-Za-z_]\w*$|^%\w+%$/.test(v)) return true;
  if (PLACEHOLDER_WORD.test(v)) return true;
  if (/\*{3}|•{3}|x{4}|X{4}|\.{3}|…/.test(v)) return true;
  return new Set(v).size < 3;
}

/**
 * Unquoted assignment values that are code or prose rather than a secret: identifiers and member
 * paths without digits (`accessToken`, `this.password`, `process.env.DB_PASSWORD`, `required`) and
 * calls (`getToken(`). A long run of randomly mixed-case letters still counts as a secret.
 */
function looksLikeCode(v: string): boolean {
  if (/\($/.test(v)) return true;
  // Identifier or member path, possibly ending a sentence (`Token: invalid.`).
  if (!/^[A-Za-z_$]+(?:\.[A-Za-z_$]+)*[.!?:]?$/.test(v)) return false;
  if (!/^[A-Za-z]{20,}$/.test(v)) return true;
  // camelCase has a few capitals; random letters are about half upper case.
  const upper = v.replace(/[^A-Z]/g, '').length / v.length;
  return upper < 0.25 || upper > 0.75;
}

/** Opaque tokens (Bearer, session ids): random-looking, not a word or an identifier. */
function looksRandom(v: string): boolean {
  if (isPlaceholder(v) || looksLikeCode(v)) return false;
  return /\d/.test(v) || v.length >= 32;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer (IIN) prefixes and the card lengths each issues. */
const CARD_BRANDS: [RegExp, readonly number[]][] = [
  [/^4/, [13, 16, 19]], // Visa
  [/^(?:5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, [16]], // Mastercard 51–55, 2221–2720
  [/^3[47]/, [15]], // American Express
  [/^(?:6011|65|64[4-9])/, [16, 17, 18, 19]], // Discover
  [/^35(?:2[89]|[3-8]\d)/, [16, 17, 18, 19]], // JCB 3528–3589
  [/^3(?:0[0-5]|[689])/, [14, 15, 16, 17, 18, 19]], // Diners Club
  [/^62/, [16, 17, 18, 19]], // UnionPay
];

export function looksLikeCard(match: string): boolean {
  const digits = match.replace(/[ -]/g, '');
  const brand = CARD_BRANDS.find(([prefix]) => prefix.test(digits));
  if (!brand) return false;
  return brand[1].includes(digits.length) && luhnValid(digits);
}

function jwtHeaderOk(token: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return (
      typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string'
    );
  } catch {
    return false;
  }
}

/** A Basic credential is base64 of `user:password` (printable text) with a real password. */
function basicCredentialsOk(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // \p{Cc}: control characters; U+FFFD: bytes that were not UTF-8. Either means it is not text.
  if (colon < 0 || /[\p{Cc}\uFFFD]/u.test(decoded)) return false;
  return !isPlaceholder(decoded.slice(colon + 1));
}

const notPlaceholder = (v: string) => !isPlaceholder(v);
const hasDigitAndLetter = (v: string) => /\d/.test(v) && /[A-Za-z]/.test(v);

// ---------------------------------------------------------------------------------------------
// Shared pieces of the context rules
// ---------------------------------------------------------------------------------------------

/**
 * Names that announce a secret. The keyword may end a longer name (DB_PASSWORD, client_secret,
 * x-auth-token, userPassword); `pass` alone must start a word part so `bypass` / `compass` do not count.
 */
const SECRET_NAME =
  '(?:pass(?:word|wd|phrase)|(?<![a-z])pass|pwd|secret|(?:api|access|secret|private|signing|encryption|master)[_-]?key|apikey|token)';

/** A field name (JSON key, header-like name) whose value is a secret, e.g. `password`, `clientSecret`. */
export const SECRET_FIELD_NAME = new RegExp(`${SECRET_NAME}$`, 'i');

/**
 * A quote that may be backslash-escaped, for JSON written inside a JSON string: `"`, `\"` (one level
 * of escaping, `{\"password\":\"…\"}`) or `\\\"` (two levels); `'` likewise. At most 3 backslashes.
 */
const QUOTE = String.raw`\\{0,3}["']`;

/**
 * `:`, `=`, `:=` or `=>`, after an optional closing quote (plain or escaped, see QUOTE) and bracket
 * of the name (`"password":`, `\"password\":`, `$_ENV['DB_PASS'] =`), with a few spaces or tabs
 * around.
 */
const SEP = String.raw`(?:${QUOTE})?\]?[ \t]{0,5}(?::=|=>|[:=])[ \t]{0,5}`;

/**
 * A value between escaped double quotes: `\"…\"` (one level, `n` = 1 backslash) or `\\\"…\\\"` (two
 * levels, `n` = 3). It ends at a run of exactly `n` backslashes before a `"`; a `"` after a run of
 * another length is part of the value (`\\\"` is a quote inside a one-level value), as is a run
 * before any other character (`\\n`). Every run of backslashes is read whole by one alternative (a
 * run's end is fixed by the character after it), so there is nothing to backtrack into.
 */
const escapedValue = (n: string, otherRun: string) =>
  String.raw`${n}"((?:[^"\\\r\n]|\\+[^"\\\r\n]|${otherRun}"){1,256})${n}"`;

/**
 * An assigned value, as five alternative groups: double-quoted, between one- or two-level escaped
 * double quotes (escapedValue), single-quoted (the plain-quoted ones allow escaped characters;
 * `[^"\\]|\\.` are disjoint so the repetition is unambiguous), or bare up to whitespace, a quote or
 * a delimiter (`,;&<>)]}`). The quotes stay outside the groups, so they are kept.
 */
const VALUE = [
  String.raw`"((?:[^"\\\r\n]|\\.){1,256})"`,
  escapedValue(String.raw`\\`, String.raw`\\{2,}`),
  escapedValue(String.raw`\\{3}`, String.raw`(?:\\{1,2}|\\{4,})`),
  String.raw`'((?:[^'\\\r\n]|\\.){1,256})'`,
  String.raw`([^\s"'\`,;&<>)}\]]{1,256})`,
].join('|');

/**
 * A token rule's pattern, widened at its start: besides after a non-word character (its own `\b` or
 * `(?<![\w-])`, which keeps tokens inside longer words and identifiers out), a token is also found
 * right after a URL-encoded byte (`?next%3Dghp_…`) or a `\n`/`\r`/`\t` escape (JSON-escaped logs),
 * where a letter precedes it that belongs to the encoding, not to a word. One negative lookbehind
 * (“no word character before, unless it ends an escape”), not an alternation of lookbehinds: V8 keeps
 * its fast literal scan for the former and is several times slower on the latter.
 */
export const TOKEN_AFTER_ESCAPE = String.raw`(?<!%[0-9A-Fa-f]{2}|\\[nrt])`;

function tokenStart(pattern: RegExp): RegExp {
  const edge = /^(?:\\b|\(\?<!\[\\w-\]\))/.exec(pattern.source)?.[0];
  if (!edge) throw new Error(`token pattern must start with \\b or (?<![\\w-]): ${pattern.source}`);
  const wordBefore = edge === String.raw`\b` ? String.raw`\w` : String.raw`[\w-]`;
  return new RegExp(
    `(?<!${wordBefore}${TOKEN_AFTER_ESCAPE})${pattern.source.slice(edge.length)}`,
    pattern.flags,
  );
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

export const SECRET_RULES: readonly SecretRule[] = [
  {
    type: 'private_key',
    description: 'PEM private key block (RSA, EC, DSA, OPENSSH, PKCS#8, encrypted, PGP)',
    // Body: base64, whitespace, `Proc-Type:`/`DEK-Info:` headers and literal `\n` escapes, but never
    // `-----`, so it stops at the END line (kept in the match) or, for a truncated key, where the key
    // material stops. Greedy with no backtracking: the END line is optional.
    pattern:
      /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s:,\\]|-(?!----))*(?:-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----)?/g,
    // Key material present (a header quoted in prose is not a key).
    validate: (v) => /[A-Za-z0-9+/]{32}/.test(v),
  },
  {
    type: 'aws_access_key_id',
    description: 'AWS access key id (AKIA…, ASIA… and the other IAM unique-id prefixes)',
    pattern: tokenStart(/\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b/g),
  },
  {
    type: 'aws_secret_access_key',
    description: 'AWS secret access key: 40 base64 characters assigned to an aws…key / secret…key name',
    // Names: aws_secret_access_key, aws_key, aws_secret, secret_key, SecretAccessKey, "AWS secret key"…
    pattern:
      /(?:aws[_. -]?(?:secret[_. -]?)?(?:access[_. -]?)?key|aws[_. -]?secret|secret[_. -]?(?:access[_. -]?)?key)(?:\\{0,3}["'])?[ \t]{0,5}(?::=|=>|[:=])[ \t]{0,5}(?:\\{0,3}["'])?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    // Random base64: both cases, a digit or symbol, high entropy (a 40-hex git SHA fails).
    validate: (v) => /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9/+]/.test(v) && shannonEntropy(v) > 3.5,
  },
  {
    type: 'github_token',
    description: 'GitHub classic personal access token (ghp_)',
    pattern: tokenStart(/\bghp_[A-Za-z0-9]{36}\b/g),
  },
  {
    type: 'github_fine_grained_token',
    description: 'GitHub fine-grained personal access token (github_pat_)',
    pattern: tokenStart(/\bgithub_pat_[A-Za-z0-9_]{50,255}\b/g),
  },
  {
    type: 'github_oauth_token',
    description: 'GitHub OAuth access token (gho_)',
    pattern: tokenStart(/\bgho_[A-Za-z0-9]{36}\b/g),
  },
  {
    type: 'github_app_token',
    description: 'GitHub App user-to-server (ghu_) and server-to-server (ghs_) tokens',
    pattern: tokenStart(/\bgh[us]_[A-Za-z0-9]{36}\b/g),
  },
  {
    type: 'github_refresh_token',
    description: 'GitHub refresh token (ghr_)',
    pattern: tokenStart(/\bghr_[A-Za-z0-9]{36,76}\b/g),
  },
  {
    type: 'gitlab_token',
    description: 'GitLab personal, project, deploy and runner tokens (glpat-, glptt-, gldt-, glrt-)',
    pattern: tokenStart(/(?<![\w-])gl(?:pat|ptt|dt|rt)-[A-Za-z0-9_-]{20,64}(?![\w-])/g),
  },
  {
    type: 'slack_webhook',
    description: 'Slack incoming webhook / workflow URL',
    pattern:
      /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{16,32}/g,
  },
  {
    type: 'slack_token',
    description:
      'Slack bot, user, app-level, refresh tokens (xoxb-, xoxp-, xoxa-, xoxe-, xoxr-, xoxs-, xapp-)',
    pattern: tokenStart(/(?<![\w-])(?:xox[abeprs]|xapp)-[A-Za-z0-9-]{10,250}(?![\w-])/g),
    // Real tokens carry numeric team/user ids; `xoxb-your-token-here` does not.
    validate: (v) => /\d/.test(v) && !/your|token|here|example/i.test(v),
  },
  {
    type: 'stripe_key',
    description: 'Stripe secret and restricted keys, live and test (sk_live_, rk_live_, sk_test_, rk_test_)',
    pattern: tokenStart(/\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,247}\b/g),
  },
  {
    type: 'webhook_signing_secret',
    description: 'Webhook signing secret in the Stripe / Standard Webhooks form (whsec_)',
    pattern: tokenStart(/\bwhsec_[A-Za-z0-9+/=]{24,256}(?![A-Za-z0-9+/=])/g),
  },
  {
    type: 'google_api_key',
    description: 'Google API key (AIza…)',
    pattern: tokenStart(/\bAIza[0-9A-Za-z_-]{35}(?![\w-])/g),
  },
  {
    type: 'google_oauth_client_secret',
    description: 'Google OAuth client secret (GOCSPX-)',
    pattern: tokenStart(/\bGOCSPX-[A-Za-z0-9_-]{28}(?![\w-])/g),
  },
  {
    type: 'openai_api_key',
    description: 'OpenAI API key (sk-proj-, sk-svcacct-, sk-admin-, legacy sk-…T3BlbkFJ…)',
    pattern: tokenStart(
      /(?<![\w-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![\w-])/g,
    ),
  },
  {
    type: 'anthropic_api_key',
    description: 'Anthropic API key (sk-ant-api03-…, sk-ant-admin01-…)',
    pattern: tokenStart(/(?<![\w-])sk-ant-[a-z]{3,5}\d{2}-[A-Za-z0-9_-]{40,200}(?![\w-])/g),
  },
  {
    type: 'sendgrid_api_key',
    description: 'SendGrid API key (SG.<22>.<43>)',
    pattern: tokenStart(/\bSG\.[\w-]{22}\.[\w-]{43}(?![\w-])/g),
  },
  {
    type: 'npm_token',
    description: 'npm access token (npm_ + 36)',
    pattern: tokenStart(/\bnpm_[A-Za-z0-9]{36}\b/g),
  },
  {
    type: 'pypi_token',
    description: 'PyPI upload token (pypi-AgEIcHlwaS5vcmc…, a macaroon for pypi.org)',
    pattern: tokenStart(/\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}(?![\w-])/g),
  },
  {
    type: 'shopify_token',
    description:
      'Shopify access, custom-app, private-app tokens and shared secrets (shpat_, shpca_, shppa_, shpss_)',
    pattern: tokenStart(/\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g),
  },
  {
    type: 'digitalocean_token',
    description: 'DigitalOcean personal, OAuth and refresh tokens (dop_v1_, doo_v1_, dor_v1_ + 64 hex)',
    pattern: tokenStart(/\bdo[opr]_v1_[a-f0-9]{64}\b/g),
  },
  {
    type: 'mailgun_api_key',
    description: 'Mailgun API key (key- + 32)',
    pattern: tokenStart(/(?<![\w-])key-[0-9a-z]{32}\b/g),
    validate: hasDigitAndLetter,
  },
  {
    type: 'twilio_api_key',
    description: 'Twilio API key SID (SK + 32 hex)',
    pattern: tokenStart(/\bSK[0-9a-fA-F]{32}\b/g),
    validate: hasDigitAndLetter,
  },
  {
    type: 'twilio_account_sid',
    description: 'Twilio account SID (AC + 32 hex)',
    pattern: tokenStart(/\bAC[0-9a-fA-F]{32}\b/g),
    validate: (v) => hasDigitAndLetter(v.slice(2)),
  },
  {
    type: 'azure_storage_key',
    description: 'Azure storage account key in a connection string (AccountKey=<88 base64>)',
    pattern: /(?<![A-Za-z])AccountKey=([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/g,
    group: 1,
  },
  {
    type: 'jwt',
    description: 'JSON Web Token (three base64url segments whose header names an alg)',
    // Header and payload are JSON objects, so both start with `eyJ` (base64 of `{"`).
    pattern: tokenStart(
      /(?<![\w-])eyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,65536}\.[A-Za-z0-9_-]{0,4096}/g,
    ),
    validate: jwtHeaderOk,
  },
  {
    type: 'url_credentials',
    description: 'password in a URL’s userinfo (scheme://user:password@host; the user is kept)',
    // The user part may be empty (redis://:password@host); neither part may contain / ? # @.
    pattern: /(?<![\w+.-])[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/?#@"'<>]{0,256}:([^\s/?#@"'<>]{1,256})@/gi,
    group: 1,
    validate: notPlaceholder,
  },
  {
    type: 'bearer_token',
    description: 'Bearer authorization value',
    pattern: /\b(?:Bearer|bearer|BEARER)[ \t]{1,5}([A-Za-z0-9._~+/-]{16,8192}=*)/g,
    group: 1,
    validate: looksRandom,
  },
  {
    type: 'basic_auth',
    description: 'Basic authorization value (base64 of user:password)',
    pattern: /\b(?:Basic|basic|BASIC)[ \t]{1,5}([A-Za-z0-9+/]{8,4096}={0,2})(?![A-Za-z0-9+/=])/g,
    group: 1,
    validate: basicCredentialsOk,
  },
  {
    type: 'session_id',
    description:
      'session identifier assigned in a cookie or query (PHPSESSID=, JSESSIONID=, sessionid=, connect.sid=…)',
    pattern: /(?:session[_-]?(?:id|key)?|sessid|sid)=([^\s;,"'&<>?#]{16,512})/gi,
    group: 1,
    validate: (v) => looksRandom(v) && /\d/.test(v),
  },
  {
    type: 'generic_secret',
    description:
      'password=, passwd:, pwd=, DB_PASS=, secret=, client_secret, api_key=, apikey:, access_key, token= … assignments (quoted, escaped-JSON-quoted or bare values, symbols allowed)',
    pattern: new RegExp(`${SECRET_NAME}${SEP}(?:${VALUE})`, 'gi'),
    group: [1, 2, 3, 4, 5],
    // Quoted values are data; bare ones may be code or prose (`password: this.password`, `token: required`).
    validate: (v, match) => !isPlaceholder(v) && (/["']$/.test(match) || !looksLikeCode(v)),
    identifiers: false,
  },
  {
    type: 'card_number',
    description:
      'payment card number (13–19 digits, plain or in 4-digit groups, known issuer prefix, Luhn-valid)',
    // Plain run, 4-4-4-4(-3) groups, or Amex/Diners 4-6-5 / 4-6-4 groups; separators space or dash.
    // Not inside a word, a dashed id or a decimal fraction (0.4111…).
    pattern:
      /(?<![\w.-])(?:\d{13,19}|\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,4}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})(?![\w-]|\.\d)/g,
    validate: looksLikeCard,
  },
];
