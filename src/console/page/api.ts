/** The console's JSON API, as the page calls it: same origin, the token in its cookie, errors as ApiFailure. */
import type { ApiErrorBody } from '../protocol';

const API = '/_console/api/';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(API + path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiFailure(response.status, { code: 'BadResponse', message: `HTTP ${response.status}: ${text.slice(0, 200)}` });
  }
  if (!response.ok) {
    const error = (parsed as Partial<ApiErrorBody>).error ?? { code: `HTTP${response.status}`, message: text.slice(0, 200) };
    throw new ApiFailure(response.status, error);
  }
  return parsed as T;
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body ?? {});
export const remove = <T>(path: string): Promise<T> => request<T>('DELETE', path);
