// The app's entry: registers the service worker, restores the session, routes #/ addresses
// to views, and keeps the sync running (after each edit, when the network returns, every
// minute). Every view reads the local store, so each works with no network.
import { h } from './ui.js';
import { session, signOut } from './api.js';
import { getMeta, setMeta, wipe } from './store.js';
import { sync, start, events, pendingCount, mustUpdate } from './sync.js';
import { uploadAll, waitingPhotos } from './photos.js';
import { loginView } from './views/login.js';
import { homeView } from './views/home.js';
import { inspectionView } from './views/inspection.js';

const go = (hash) => { if (location.hash === hash) route(); else location.hash = hash; };

// One drawing at a time, the last asked for drawn last: a sync's re-draw of an earlier
// address (a slow 60-item checklist) must not land over the page the inspector went to.
let routing = null;
let reroute = false;
function route() {
  if (routing) { reroute = true; return routing; }
  routing = (async () => {
    try {
      do { reroute = false; await draw(); } while (reroute);
    } finally {
      routing = null;
    }
  })();
  return routing;
}

async function draw() {
  const s = await session();
  if (!s || s.expired) {
    const notice = s?.expired ? `Phiên đăng nhập đã hết hạn hoặc đã bị thu hồi. ${await unsentWords()}Hãy đăng nhập lại bằng tài khoản của bạn để gửi lên máy chủ.` : null;
    return loginView(() => firstSync().then(route), notice);
  }
  if (!(await getMeta('cursor'))) {
    await firstSync();
    reroute = true;
    return;
  }
  const m = /^#\/phieu\/([0-9a-f-]+)$/.exec(location.hash);
  if (m) return inspectionView(m[1], go);
  return homeView(go);
}

// What is still on the phone only, in words ("" when nothing is).
async function unsentWords() {
  const count = await pendingCount();
  const photos = await waitingPhotos();
  if (!count && !photos) return '';
  const what = [count ? `${count} thay đổi` : '', photos ? `${photos} ảnh` : ''].filter(Boolean).join(' và ');
  return `${what} chưa gửi vẫn được giữ trên máy này, không mất gì. `;
}

// Reloads into the newest build: the service worker fetches the new one (it takes over at
// once, sw.js) and the reload then opens it; the outbox and photos are in IndexedDB.
async function updateApp() {
  const reg = await navigator.serviceWorker?.getRegistration('/thuc-dia/').catch(() => null);
  if (reg) {
    const changed = new Promise((r) => {
      navigator.serviceWorker.addEventListener('controllerchange', r, { once: true });
      setTimeout(r, 10000);
    });
    await reg.update().catch(() => {});
    if (reg.installing || reg.waiting) await changed;
  }
  location.reload();
}

// After a 426 (docs/sync.md): this build no longer syncs; say so above every view.
async function upgradeBanner() {
  const needed = await mustUpdate();
  const unsent = needed ? await unsentWords() : '';
  // Looked up after the awaits: two status updates may run at once.
  let banner = document.getElementById('can-cap-nhat');
  if (!needed) { banner?.remove(); return; }
  if (!banner) {
    banner = h('section', { id: 'can-cap-nhat', class: 'flash flash-err', role: 'alert', 'aria-label': 'Cần cập nhật ứng dụng' });
    document.getElementById('noi-dung').before(banner);
  }
  banner.replaceChildren(
    h('p', {}, h('strong', {}, 'Cần cập nhật ứng dụng. '),
      'Máy chủ không còn nhận dữ liệu từ phiên bản ứng dụng cũ trên máy này, nên việc đồng bộ đã dừng. ',
      unsent, 'Hãy cập nhật (cần có mạng) để gửi tiếp.'),
    h('button', { type: 'button', class: 'btn btn-primary', id: 'cap-nhat', onclick: updateApp }, 'Cập nhật ứng dụng'));
}

async function firstSync() {
  document.getElementById('noi-dung').replaceChildren(h('p', { role: 'status' }, 'Đang tải dữ liệu về máy…'));
  await sync();
  if (await mustUpdate()) {
    // The banner says what to do; updating reloads the page.
    document.getElementById('noi-dung').replaceChildren(h('p', { class: 'muted' }, 'Chưa tải được dữ liệu: ứng dụng cần cập nhật trước.'));
    await new Promise(() => {});
  }
  if (!(await getMeta('cursor'))) {
    document.getElementById('noi-dung').replaceChildren(h('p', { class: 'flash flash-err', role: 'alert' },
      'Chưa tải được dữ liệu. Cần có mạng cho lần đầu; ứng dụng sẽ thử lại khi có mạng.'));
    await new Promise((r) => window.addEventListener('online', r, { once: true }));
  }
}

async function statusLine(state = {}) {
  const el = document.getElementById('trang-thai-mang');
  const count = await pendingCount();
  const photos = await waitingPhotos();
  const parts = [navigator.onLine ? 'Có mạng' : 'Không có mạng'];
  if (state.syncing) parts.push('đang đồng bộ…');
  if (count) parts.push(`${count} thay đổi chưa gửi`);
  if (photos) parts.push(`${photos} ảnh chưa tải lên`);
  if (!count && !photos && !state.syncing) parts.push('đã đồng bộ');
  if (await mustUpdate()) parts.push('cần cập nhật ứng dụng');
  el.textContent = parts.join(' · ');
  await upgradeBanner();
  el.dataset.pending = String(count + photos);
  el.className = `net ${navigator.onLine ? 'online' : 'offline'}`;
}

async function confirmSignOut() {
  const count = await pendingCount();
  const photos = await waitingPhotos();
  if (count + photos > 0 && !window.confirm(
    `Còn ${count} thay đổi và ${photos} ảnh chưa gửi lên máy chủ. Chúng vẫn được giữ trên máy này và sẽ gửi khi bạn đăng nhập lại. Vẫn đăng xuất?`)) {
    return;
  }
  await signOut();
  // Nothing unsent: nothing of the team's stays on a phone that may be shared. Unsent work
  // stays (the person was warned) until the same person signs in again.
  if (count + photos === 0) await wipe();
  else await setMeta('session', null);
  route();
}

function bottomBar() {
  const nav = document.getElementById('thanh-duoi');
  nav.replaceChildren(
    h('a', { href: '#/', class: 'btn' }, 'Đợt kiểm tra'),
    h('button', { type: 'button', class: 'btn', id: 'dong-bo', onclick: () => sync() }, 'Đồng bộ'),
    h('button', { type: 'button', class: 'btn', id: 'dang-xuat', onclick: confirmSignOut }, 'Đăng xuất'));
  nav.hidden = false;
}

function typing() {
  const el = document.activeElement;
  return el && (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && ['text', 'number', 'date', 'password'].includes(el.type)));
}

async function boot() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/thuc-dia/sw.js', { scope: '/thuc-dia/' }).catch(() => {});
  }
  bottomBar();
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => statusLine());
  window.addEventListener('offline', () => statusLine());
  events.addEventListener('state', (e) => statusLine(e.detail));
  events.addEventListener('queued', () => statusLine());
  events.addEventListener('synced', async () => {
    await statusLine();
    if (await session() && !typing()) await route();
    // A finished photo may free a held submission: sync once more.
    uploadAll().then((n) => (n ? sync() : statusLine()));
  });
  events.addEventListener('upload', (e) => {
    const bar = document.querySelector(`[data-photo="${e.detail.id}"] progress`);
    if (bar) bar.value = e.detail.sent;
    if (e.detail.sent === e.detail.total) statusLine();
  });
  start();
  await statusLine();
  await route();
  if (navigator.onLine && (await session())) sync();
  document.documentElement.dataset.ready = 'yes';
}

boot();
