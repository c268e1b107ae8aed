// The API as the app calls it: the bearer token on every call, one refresh at a time when the
// access token expires (docs/api.md, "Staying signed in"), and problem+json errors turned
// into ApiError with the server's Vietnamese `detail`.
import { getMeta, setMeta } from './store.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Lỗi ${status}`);
    this.status = status;
    this.code = problem?.code || '';
    this.problem = problem || {};
  }
}

// A network failure (offline, server unreachable): the caller keeps its work and retries.
export class Offline extends Error {}

const HEADERS = { 'Accept-Language': 'vi', 'X-Kiemtra-Schema-Version': '1' };

async function call(path, { method = 'GET', body, token } = {}) {
  const headers = { ...HEADERS };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Offline('Không có mạng');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    if ([502, 503, 504].includes(res.status)) throw new Offline(`Máy chủ chưa sẵn sàng (${res.status})`);
    throw new ApiError(res.status, json);
  }
  return json;
}

export async function deviceId() {
  let id = await getMeta('device');
  if (!id) {
    id = crypto.randomUUID();
    await setMeta('device', id);
  }
  return id;
}

function sessionOf(r) {
  return {
    access: r.access_token,
    refresh: r.refresh_token,
    user: r.user,
    access_until: Date.now() + (r.expires_in - 30) * 1000,
  };
}

export async function signIn(username, password) {
  const device = await deviceId();
  const r = await call('/api/v1/auth/login', {
    method: 'POST',
    body: { username, password, device_id: device, device_name: `Trình duyệt: ${navigator.userAgent.slice(0, 80)}` },
  });
  const s = sessionOf(r);
  await setMeta('session', s);
  return s;
}

export const session = () => getMeta('session');

let refreshing = null;
// Exchanges the refresh token once; the new pair is stored before it is used, since a
// refresh token presented twice signs the device out.
async function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const s = await session();
      if (!s) throw new ApiError(401, { code: 'unauthenticated', detail: 'Chưa đăng nhập.' });
      try {
        const r = await call('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: s.refresh } });
        const next = sessionOf(r);
        await setMeta('session', next);
        return next;
      } catch (e) {
        if (e instanceof ApiError) await setMeta('session', { ...s, expired: true });
        throw e;
      }
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

// An authenticated call; refreshes first when the access token is (nearly) out.
export async function api(path, opts = {}) {
  let s = await session();
  if (!s || s.expired) throw new ApiError(401, { code: 'session_expired', detail: 'Phiên đăng nhập đã hết, hãy đăng nhập lại.' });
  if (Date.now() > s.access_until) s = await refresh();
  try {
    return await call(path, { ...opts, token: s.access });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && e.code === 'token_expired') {
      s = await refresh();
      return call(path, { ...opts, token: s.access });
    }
    throw e;
  }
}

export async function accessToken() {
  let s = await session();
  if (s && !s.expired && Date.now() > s.access_until) s = await refresh();
  return s?.access;
}

export async function signOut() {
  const s = await session();
  if (s?.refresh) {
    try { await call('/api/v1/auth/logout', { method: 'POST', body: { refresh_token: s.refresh } }); } catch { /* offline: the token expires by itself */ }
  }
}
