import { redactText } from '../sanitize/redact.ts';

/** Attempt logs keep at most this many characters of a receiver's response body. */
export const LOGGED_RESPONSE_BODY_CHARS = 1024;

const MARKER = /\[REDACTED:[a-z0-9_]+\]/g;

/**
 * A receiver's response body as the attempt log keeps it: passed through the secret detector (a
 * receiver may echo credentials, also as escaped JSON inside a JSON string; the log must not keep
 * them), then cut to LOGGED_RESPONSE_BODY_CHARS. Redacting first matters: a secret cut in two at the
 * limit no longer matches its rule, and its first part would be stored. A marker the limit would cut
 * is left out whole. `body` is at most RESPONSE_BODY_READ_LIMIT bytes (lib/net/pinned-request.ts).
 */
export function redactResponseBody(body: string): string {
  const redacted = redactText(body);
  if (redacted.length <= LOGGED_RESPONSE_BODY_CHARS) return redacted;
  let end = LOGGED_RESPONSE_BODY_CHARS;
  // Markers are shorter than 64 characters, so only one that starts this close can straddle the limit.
  MARKER.lastIndex = end - 64;
  for (let m = MARKER.exec(redacted); m !== null && m.index < end; m = MARKER.exec(redacted)) {
    if (m.index + m[0].length > end) end = m.index;
  }
  return `${redacted.slice(0, end)}…`;
}
