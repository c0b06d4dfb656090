/**
 * THE secret-detection rule table. Each rule names the marker type written in place of a match
 * (`[REDACTED:<type>]`). Order matters: specific formats come before the generic ones, and later rules
 * never re-match an earlier rule's marker.
 *
 * Every pattern is linear-time on hostile input: bounded repetitions, no nested quantifiers, and
 * anchors (\b or a fixed prefix) so a scan never restarts a long match at every position.
 */
export interface SecretRule {
  type: string;
  description: string;
  /** Global regex. */
  pattern: RegExp;
  /**
   * 2 when the pattern is `(kept prefix)(secret)`: only the secret is replaced (`password=` stays).
   * Omitted: the whole match is the secret.
   */
  group?: 2;
  /** Extra check on the secret part (entropy, Luhn, JWT header, placeholder…). */
  validate?: (secret: string) => boolean;
}

/** Placeholders and obviously fake values that must not be reported as secrets. */
export function isPlaceholder(value: string): boolean {
  const v = value.replace(/^["']|["']$/g, '');
  if (v.length < 6) return true;
  if (/^\$\{[^}]*\}$|^\{\{[^}]*\}\}$|^<[^>]*>$|^%\(?\w*\)?s$|^\$[A-Z_][A-Z0-9_]*$/.test(v)) return true;
  if (/^(?:\[REDACTED:[a-z0-9_]+\])$/.test(v)) return true;
  if (
    /^(?:x+|\*+|\.+|-+|_+|#+|0+|1234\d*|changeme|change_me|password|secret|example|redacted|placeholder|dummy|test|null|none|undefined|your[_-]?\w*)$/i.test(
      v,
    )
  )
    return true;
  return shannonEntropy(v) < 2.5;
}

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

function looksLikeCard(match: string): boolean {
  const digits = match.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  // Issuer prefixes: Visa, Mastercard (51-55, 2221-2720), Amex, Discover, JCB, Diners, UnionPay.
  if (!/^(?:4|5[1-5]|2[2-7]|3[47]|6011|65|64[4-9]|35|30[0-5]|36|38|62)/.test(digits)) return false;
  return luhnValid(digits);
}

function jwtHeaderOk(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof header.alg === 'string';
  } catch {
    return false;
  }
}

function basicCredentialsOk(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[^:\s]{1,256}:\S{1,256}$/.test(decoded) && !isPlaceholder(decoded.split(':')[1] ?? '');
}

const notPlaceholder = (v: string) => !isPlaceholder(v);

export const SECRET_RULES: SecretRule[] = [
  {
    type: 'private_key',
    description: 'PEM private key block (RSA, EC, DSA, OPENSSH, PKCS#8, encrypted)',
    pattern:
      /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY-----[A-Za-z0-9+/=\s:,-]{0,20000}?(?:-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY-----|$)/g,
  },
  {
    type: 'aws_access_key_id',
    description: 'AWS access key id (AKIA…, ASIA… and the other IAM unique-id prefixes)',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b/g,
  },
  {
    type: 'aws_secret_access_key',
    description: 'AWS secret access key (40 base64 characters next to an aws…secret…key name)',
    pattern:
      /\b(aws_?(?:secret_?)?(?:access_?)?key(?:_?id)?["']?\s{0,5}[:=]\s{0,5}["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 2,
    validate: (v) => /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9/+]/.test(v) && shannonEntropy(v) > 3.5,
  },
  {
    type: 'github_token',
    description: 'GitHub classic personal access token (ghp_)',
    pattern: /\bghp_[A-Za-z0-9]{36}\b/g,
  },
  {
    type: 'github_fine_grained_token',
    description: 'GitHub fine-grained personal access token (github_pat_)',
    pattern: /\bgithub_pat_[A-Za-z0-9_]{50,255}\b/g,
  },
  {
    type: 'github_oauth_token',
    description: 'GitHub OAuth access token (gho_)',
    pattern: /\bgho_[A-Za-z0-9]{36}\b/g,
  },
  {
    type: 'github_app_token',
    description: 'GitHub App user-to-server (ghu_) and server-to-server (ghs_) tokens',
    pattern: /\bgh[us]_[A-Za-z0-9]{36}\b/g,
  },
  {
    type: 'github_refresh_token',
    description: 'GitHub refresh token (ghr_)',
    pattern: /\bghr_[A-Za-z0-9]{36,76}\b/g,
  },
  {
    type: 'gitlab_token',
    description: 'GitLab personal/project access token (glpat-)',
    pattern: /\bglpat-[A-Za-z0-9_-]{20,64}\b/g,
  },
  {
    type: 'slack_webhook',
    description: 'Slack incoming webhook URL',
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{16,32}/g,
  },
  {
    type: 'slack_token',
    description:
      'Slack bot, user, app-level, workspace and refresh tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xapp-)',
    pattern: /\b(?:xox[abprs]|xapp)-[A-Za-z0-9-]{10,250}\b/g,
  },
  {
    type: 'stripe_key',
    description: 'Stripe secret and restricted keys, live and test (sk_live_, rk_live_, sk_test_, rk_test_)',
    pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,247}\b/g,
  },
  {
    type: 'webhook_signing_secret',
    description: 'Webhook signing secret in the Standard Webhooks / Stripe form (whsec_)',
    pattern: /\bwhsec_[A-Za-z0-9+/=]{24,100}/g,
  },
  {
    type: 'google_api_key',
    description: 'Google API key (AIza…)',
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    type: 'sendgrid_api_key',
    description: 'SendGrid API key (SG.<22>.<43>)',
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  { type: 'npm_token', description: 'npm access token (npm_)', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  {
    type: 'shopify_token',
    description:
      'Shopify access, custom-app, private-app tokens and shared secrets (shpat_, shpca_, shppa_, shpss_)',
    pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g,
  },
  { type: 'mailgun_api_key', description: 'Mailgun API key (key-…)', pattern: /\bkey-[0-9a-zA-Z]{32}\b/g },
  {
    type: 'twilio_api_key',
    description: 'Twilio API key SID (SK + 32 hex)',
    pattern: /\bSK[0-9a-fA-F]{32}\b/g,
  },
  {
    type: 'twilio_account_sid',
    description: 'Twilio account SID (AC + 32 hex)',
    pattern: /\bAC[0-9a-fA-F]{32}\b/g,
  },
  {
    type: 'jwt',
    description: 'JSON Web Token (three base64url segments whose header names an alg)',
    pattern: /\beyJ[A-Za-z0-9_-]{5,2000}\.eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{0,2000}/g,
    validate: jwtHeaderOk,
  },
  {
    type: 'url_credentials',
    description: 'password in a URL’s userinfo (scheme://user:password@host)',
    pattern: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'<>]{1,256}:)([^\s@/"'<>]{1,256})(?=@)/gi,
    group: 2,
    validate: notPlaceholder,
  },
  {
    type: 'bearer_token',
    description: 'Bearer authorization value',
    pattern: /\b(Bearer\s{1,5})([A-Za-z0-9\-._~+/]{16,4096}=*)/g,
    group: 2,
    validate: notPlaceholder,
  },
  {
    type: 'basic_auth',
    description: 'Basic authorization value (base64 of user:password)',
    pattern: /\b(Basic\s{1,5})([A-Za-z0-9+/]{8,2048}={0,2})(?![A-Za-z0-9+/=])/g,
    group: 2,
    validate: basicCredentialsOk,
  },
  {
    type: 'generic_secret',
    description:
      'password=, passwd:, secret=, api_key=, token=, client_secret… assignments (quoted or bare values, symbols allowed)',
    pattern:
      /\b([A-Za-z0-9_.-]{0,40}?(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|access[_-]?token|auth[_-]?token|token|client[_-]?secret|private[_-]?key)["']?\s{0,5}(?:[:=]|=>)\s{0,5})("[^"\n]{1,256}"|'[^'\n]{1,256}'|\$\{[^}\s]{1,100}\}|\{\{[^}\s]{1,100}\}\}|<[^>\s]{1,100}>|[^\s"'`,;&<>)}\]]{1,256})/gi,
    group: 2,
    validate: notPlaceholder,
  },
  {
    type: 'card_number',
    description:
      'payment card number (13–19 digits, spaces or dashes allowed, Luhn-valid, known issuer prefix)',
    pattern: /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g,
    validate: looksLikeCard,
  },
];
