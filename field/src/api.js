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

// The sync schema this build speaks (docs/sync.md): set by field/build.mjs, so a test can build
// the app as an older release was (tests/browser/field_session.mjs).
// eslint-disable-next-line no-undef
export const SCHEMA_VERSION = __SCHEMA_VERSION__;

const HEADERS = { 'Accept-Language': 'vi', 'X-Kiemtra-Schema-Version': String(SCHEMA_VERSION) };

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

// The access token is refreshed a little before the server's expiry (30 s, or a tenth of its
// life when a server gives short ones) so a call rarely meets `token_expired`.
function sessionOf(r) {
  const margin = Math.min(30, r.expires_in / 10);
  return {
    access: r.access_token,
    refresh: r.refresh_token,
    user: r.user,
    access_until: Date.now() + (r.expires_in - margin) * 1000,
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

const expiredSession = () => new ApiError(401, { code: 'session_expired', detail: 'Phiên đăng nhập đã hết, hãy đăng nhập lại.' });

// Exchanges the refresh token once. A refresh token presented twice signs the device out
// (docs/api.md), so: one refresh at a time in this page (`refreshing`) and across the app's
// tabs (a Web Lock; the other tabs share the store), the stored pair re-read under the lock
// (another tab may have refreshed it already: `stale` is the access token that failed), and
// the new pair stored before it is used. A refusal (401/403: revoked, expired, disabled)
// marks the session expired; the app then asks to sign in again, keeping unsent work.
let refreshing = null;
function refresh(stale) {
  if (!refreshing) {
    const run = async () => {
      const s = await session();
      if (!s || s.expired) throw expiredSession();
      if (s.access !== stale && Date.now() <= s.access_until) return s;
      try {
        const r = await call('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: s.refresh } });
        const next = sessionOf(r);
        await setMeta('session', next);
        return next;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) await setMeta('session', { ...s, expired: true });
        throw e;
      }
    };
    const locked = navigator.locks ? navigator.locks.request('kiemtra-thuc-dia-refresh', run) : run();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

// An authenticated call; refreshes first when the access token is (nearly) out, and once
// more when the server refuses it (expired early by the clock, or the device revoked: then
// the refresh is refused too and the session ends).
export async function api(path, opts = {}) {
  let s = await session();
  if (!s || s.expired) throw expiredSession();
  if (Date.now() > s.access_until) s = await refresh(s.access);
  try {
    return await call(path, { ...opts, token: s.access });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      s = await refresh(s.access);
      return call(path, { ...opts, token: s.access });
    }
    throw e;
  }
}

export async function accessToken() {
  let s = await session();
  if (s && !s.expired && Date.now() > s.access_until) s = await refresh(s.access);
  return s?.access;
}

export async function signOut() {
  const s = await session();
  if (s?.refresh) {
    try { await call('/api/v1/auth/logout', { method: 'POST', body: { refresh_token: s.refresh } }); } catch { /* offline: the token expires by itself */ }
  }
}
