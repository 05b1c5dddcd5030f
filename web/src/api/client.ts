import i18n from '../i18n/index.ts';
import { ApiError } from './api-error.ts';
import { hasMessageKey } from './failure-text.ts';
import type { Problem } from './types.ts';

export { ApiError };

let csrfToken: string | null = null;
/** The session's CSRF token, sent with every write (the session cookie itself is HttpOnly). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header of the session, for requests made without `request` (an upload followed with XMLHttpRequest). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * A problem+json answer said in the reader's language: its catalogue message, else its code's generic text
 * (`errors.not_found`), and only then the server's English detail.
 */
export function problemMessage(body: Partial<Problem>, fallback = ''): string {
  if (body.messageKey && hasMessageKey(i18n, body.messageKey))
    return i18n.t(body.messageKey, { ns: 'messages', ...body.params });
  if (body.code && i18n.exists(`errors.${body.code}`, { ns: 'messages' }))
    return i18n.t(`errors.${body.code}`, { ns: 'messages' });
  return body.detail ?? body.title ?? fallback;
}

/** A problem+json answer (or none: a bare status) as an ApiError whose `message` is said in the reader's language. */
export function apiErrorOf(status: number, body: Partial<Problem> | null, statusText = ''): ApiError {
  if (body && (body.messageKey || body.code || body.detail)) {
    const message = problemMessage(body, statusText);
    return new ApiError(status, body.code ?? 'error', message, body.errors, body.messageKey, body.params);
  }
  const code = statusCode(status);
  const generic = i18n.exists(`errors.${code}`, { ns: 'messages' })
    ? i18n.t(`errors.${code}`, { ns: 'messages' })
    : `${status} ${statusText}`;
  return new ApiError(status, code, generic, [], `errors.${code}`);
}

async function failure(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await response.json().catch(() => null)) as Partial<Problem> | null) : null;
  return apiErrorOf(response.status, body, response.statusText);
}

/** The error code a bare HTTP status (a proxy's 502, a 413 before the app) stands for. */
function statusCode(status: number): string {
  if (status === 413) return 'payload_too_large';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 502 && status <= 504) return 'unavailable';
  return status >= 500 ? 'internal' : 'usage';
}

export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  // What the server words for the reader (category names) comes in the language the app shows.
  headers['accept-language'] = i18n.language;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    // The server out of reach (network down, server stopped): the browser's own words are English ("Failed to
    // fetch") and every screen shows `message`, so it is said from the catalogue.
    throw new ApiError(0, 'unavailable', i18n.t('errors.unavailable', { ns: 'messages' }), [], 'errors.unavailable');
  }
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('relance:unauthenticated'));
    throw error;
  }
  return response;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await request(method, path, body);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', withQuery(path, query));

/** Downloads a file answer (PDF, CSV, XLSX) under the name the server gives, or `fallback`. */
export async function download(
  method: string,
  path: string,
  fallback: string,
  body?: unknown,
): Promise<{ name: string; size: number }> {
  const response = await request(method, path, body);
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, size: blob.size };
}
