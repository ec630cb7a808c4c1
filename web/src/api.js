// The console's only door to the server: JSON over fetch, the session cookie sent by the browser,
// and the CSRF token echoed in a header on every state-changing request.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

function cookie(name) {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** Calls /console/api<path>; resolves to the JSON body, rejects with an ApiError carrying the server's message. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken ?? cookie('rc_csrf') ?? '';
  let res;
  try {
    res = await fetch(`/console/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = data?.error ?? {};
    const { code, message, ...extra } = err;
    if (res.status === 401 && code === 'unauthenticated')
      window.dispatchEvent(new Event('rollcall:signed-out'));
    throw new ApiError(res.status, code ?? 'error', message ?? `The server answered ${res.status}.`, extra);
  }
  return data;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
