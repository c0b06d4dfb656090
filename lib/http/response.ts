import { AppError, type ErrorDetail } from '../errors.ts';
import type { HttpResponse } from './context.ts';

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** The JSON error envelope (README, "Errors"). Unknown errors become 500 INTERNAL with no internals. */
export function errorResponse(err: unknown, requestId: string): HttpResponse {
  const e = err instanceof AppError ? err : undefined;
  const status = e?.status ?? 500;
  const envelope: { code: string; message: string; request_id: string; details?: ErrorDetail[] } = {
    code: e?.code ?? 'INTERNAL',
    message: e && status < 500 ? e.message : 'Internal error. Quote the request_id when reporting it.',
    request_id: requestId,
  };
  if (e?.details?.length) envelope.details = e.details;
  return jsonResponse(status, { error: envelope }, e?.headers ?? {});
}

type Headers = Record<string, string | number | boolean>;

/** The name a header is stored under in an answer, whatever its case. */
export function headerKey(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((k) => k.toLowerCase() === lower);
}

/** The headers with `token` in their `Vary`, merged into an existing value (kept as is when listed, or `*`). */
export function withVary(headers: Headers, token: string): Headers {
  const key = headerKey(headers, 'Vary');
  const current = key === undefined ? '' : String(headers[key]).trim();
  const listed = current.split(',').map((v) => v.trim().toLowerCase());
  if (listed.includes(token.toLowerCase()) || listed.includes('*')) return headers;
  return { ...headers, [key ?? 'Vary']: current ? `${current}, ${token}` : token };
}
