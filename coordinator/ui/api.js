// Talks to the coordinator's HTTP API with the token the operator signed in with. The token
// lives in sessionStorage only (gone when the tab closes) and travels as the Bearer header;
// the page itself holds no secret.

const key = 'xui-fleet.token';

/** An answer of the API that was not 2xx, with the contract's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(key) || '';
}

export function setToken(value) {
  sessionStorage.setItem(key, value);
}

export function forget() {
  sessionStorage.removeItem(key);
}

/** Listeners told when the coordinator refuses the token (401): the page signs in again. */
const refusedListeners = [];
export function onRefused(f) {
  refusedListeners.push(f);
}
export function refused(message) {
  forget();
  for (const f of refusedListeners) f(message);
}

/** What an error says to a person; a 403 explains the read-only token. */
export function describe(err) {
  if (err instanceof ApiError && err.status === 403)
    return `Not allowed with this token: it may only read. Sign in with an operator token to do this. (${err.message})`;
  if (err instanceof ApiError) return `${err.message} (${err.code}, HTTP ${err.status})`;
  return `The coordinator could not be reached: ${err.message}`;
}

/**
 * `method path` with an optional JSON body; resolves to the parsed JSON answer (or null for
 * 204), rejects with an ApiError. A 401 signs the page out with the coordinator's reason
 * (except while `signingIn`).
 */
export async function api(path, { method = 'GET', body, signal, signingIn = false } = {}) {
  const headers = { Authorization: `Bearer ${token()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    cache: 'no-store',
  });
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || 'http_' + res.status, e.message || res.statusText);
    // A token being tried at sign-in is not a session that ended.
    if (res.status === 401 && !signingIn) refused(err.message);
    throw err;
  }
  return data;
}
