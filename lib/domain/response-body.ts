import { redactText } from '../sanitize/redact.ts';

/** Attempt logs keep at most this many characters of a receiver's response body. */
export const LOGGED_RESPONSE_BODY_CHARS = 1024;

/**
 * A receiver's response body as the attempt log keeps it: truncated, then passed through the secret
 * detector (a receiver may echo credentials; the log must not keep them).
 */
export function redactResponseBody(body: string): string {
  const cut =
    body.length > LOGGED_RESPONSE_BODY_CHARS ? `${body.slice(0, LOGGED_RESPONSE_BODY_CHARS)}…` : body;
  return redactText(cut);
}
