import { redactText } from '../sanitize/redact.ts';

/**
 * The ticket a receiver created for an export, as it named it in its 2xx answer
 * (docs/ticket-exports.md, "Ticket references"): `{"ticket": {"id": "…", "url": "…"}}`.
 */
export interface TicketRef {
  id: string;
  url: string | null;
}

export const MAX_TICKET_ID_CHARS = 200;
export const MAX_TICKET_URL_CHARS = 2048;

/** The answer's ticket reference, or undefined when it names none (or names one that breaks the contract). */
export function parseTicketRef(body: string): TicketRef | undefined {
  // Most answers are empty (204, or 200 without a body): nothing to parse.
  if (body.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const ticket = (value as { ticket?: unknown } | null)?.ticket;
  if (typeof ticket !== 'object' || ticket === null) return undefined;
  const { id, url } = ticket as { id?: unknown; url?: unknown };
  const ticketId = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
  if (typeof ticketId !== 'string') return undefined;
  const trimmed = ticketId.trim();
  // Shown to the customer as is: printable, bounded, and through the secret detector like any answer.
  // Control and format characters (bidi overrides, zero-width) would make it display as something else.
  if (trimmed.length === 0 || trimmed.length > MAX_TICKET_ID_CHARS || /[\p{Cc}\p{Cf}]/u.test(trimmed)) {
    return undefined;
  }
  if (redactText(trimmed) !== trimmed) return undefined;
  return { id: trimmed, url: ticketUrl(url) };
}

/** An http(s) URL without credentials, or null: anything else is dropped rather than shown as a link. */
function ticketUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_TICKET_URL_CHARS) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username || parsed.password || parsed.href.length > MAX_TICKET_URL_CHARS) return null;
  return redactText(parsed.href) === parsed.href ? parsed.href : null;
}
