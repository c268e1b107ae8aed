// The offline app's session in Chromium (tests/api/web/field_session.rs), one journey per run
// (`f.journey`), against the real server:
// - `refresh`: access tokens of a few seconds (f.ttl); edits made after expiry sync, with one
//   refresh for two tabs syncing at once (a refresh token presented twice signs the device
//   out), and once more when the server refuses a token the phone still thought good;
// - `refused`: edits made offline, the inspector's devices revoked by an administrator; back
//   online the app asks to sign in again, keeps every change, and sends them after it;
// - `stale`: the phone runs an older build (its sync schema no longer spoken: the server
//   answers 426); the app stops syncing, keeps the outbox, says the app must be updated, and
//   once updated sends everything.
// Prints one JSON line (the inspection's id, counts) for the Rust side to check the server.
import { readFileSync } from 'node:fs';
import { launch, expect } from './lib.mjs';
import { f, failures, phone, watched, look, signIn, status, item, synced, diagnose, report } from './field_lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The app's store as the page sees it: the session, the outbox, one meta value.
const local = (page) => page.evaluate(async () => {
  const open = indexedDB.open('kiemtra-thuc-dia');
  const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
  const read = (t) => new Promise((r) => { const q = db.transaction(t).objectStore(t).getAll(); q.onsuccess = () => r(q.result); });
  const meta = Object.fromEntries((await read('meta')).map((m) => [m.key, m.value]));
  const outbox = await read('outbox');
  db.close();
  return { session: meta.session, upgrade: meta.upgrade, outbox: outbox.map((e) => e.mutation_id) };
});

// Rewrites the stored session (as another clock would have it).
const setSession = (page, changes) => page.evaluate(async (c) => {
  const open = indexedDB.open('kiemtra-thuc-dia');
  const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
  const store = db.transaction('meta', 'readwrite').objectStore('meta');
  await new Promise((r) => { const q = store.get('session'); q.onsuccess = () => { store.put({ ...q.result, value: { ...q.result.value, ...c } }).onsuccess = r; }; });
  db.close();
}, changes);

async function openUnit(page) {
  await page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  return /#\/phieu\/(.+)$/.exec(page.url())[1];
}

const choose = (page, id, label) => item(page, id).getByLabel(label, { exact: true }).check();

async function admin(path, method = 'GET') {
  const login = await fetch(`${f.base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin1', password: 'pw-admin1-123' }),
  }).then((r) => r.json());
  const res = await fetch(`${f.base}${path}`, { method, headers: { Authorization: `Bearer ${login.access_token}` } });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Two tabs of one phone, tokens of f.ttl seconds.
async function refresh(browser) {
  const { context, page } = await phone(browser);
  const refreshes = [];
  context.on('response', (r) => {
    if (r.url().includes('/api/v1/auth/refresh')) refreshes.push(r.status());
  });
  await signIn(page, f.username, f.password);
  const inspection = await openUnit(page);
  await synced(page);
  const second = await watched(await context.newPage());
  await second.goto(`${f.base}/thuc-dia/#/phieu/${inspection}`);
  await second.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  await synced(second);
  const before = (await local(page)).session;

  // Past the access token's life, an edit, and both tabs syncing at once.
  await sleep((f.ttl + 1) * 1000);
  refreshes.length = 0;
  await choose(page, 'b', 'Một phần');
  await Promise.all([page, second].map((p) => p.getByRole('button', { name: 'Đồng bộ' }).click()));
  await Promise.all([synced(page), synced(second)]);
  const concurrent = [...refreshes];
  const after = (await local(page)).session;
  expect(concurrent.length === 1 && concurrent[0] === 200, `one refresh for two tabs: ${JSON.stringify(concurrent)}`);
  expect(after.refresh !== before.refresh && after.access !== before.access, 'the new pair is stored');

  // The phone's clock says the token is good, the server says it has expired: one refresh
  // on `token_expired`, the call made again.
  await setSession(page, { access_until: Date.now() + 3600 * 1000 });
  await sleep((f.ttl + 1) * 1000);
  refreshes.length = 0;
  const refused = [];
  const onPush = (r) => { if (r.url().includes('/api/v1/sync/')) refused.push(r.status()); };
  context.on('response', onPush);
  await choose(page, 'd', '4');
  await page.getByRole('button', { name: 'Đồng bộ' }).click();
  await synced(page);
  context.off('response', onPush);
  expect(refreshes.length === 1 && refreshes[0] === 200, `one refresh on token_expired: ${JSON.stringify(refreshes)}`);
  expect(refused[0] === 401 && refused.slice(1).every((s) => s === 200), `refused once, then sent: ${JSON.stringify(refused)}`);
  expect(await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).isVisible(), 'still signed in');
  await context.close();
  return { inspection, refreshes: concurrent.length };
}

// Offline edits, the devices revoked, back online: sign in again, nothing lost.
async function refused(browser) {
  const { context, page } = await phone(browser);
  await signIn(page, f.username, f.password);
  const inspection = await openUnit(page);
  await synced(page);
  await context.setOffline(true);
  await status(page).filter({ hasText: 'Không có mạng' }).waitFor();
  await choose(page, 'b', 'Một phần');
  await choose(page, 'd', '4');
  await page.locator('#muc-e-nhap').fill('7');
  await page.locator('#muc-e-nhap').press('Tab');
  await page.waitForFunction(() => Number(document.querySelector('#trang-thai-mang')?.dataset.pending) >= 3);
  const unsent = (await local(page)).outbox;

  const [user] = (await admin(`/api/v1/users?q=${f.username}`)).items;
  const { revoked } = await admin(`/api/v1/users/${user.id}/devices`, 'DELETE');
  expect(revoked >= 1, `the inspector's devices are revoked (${revoked})`);

  await context.setOffline(false);
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  const notice = await page.locator('.login .notice').textContent();
  expect(/đăng nhập lại/i.test(notice) && notice.includes(`${unsent.length} thay đổi chưa gửi vẫn được giữ`), `the notice: "${notice}"`);
  const kept = (await local(page)).outbox;
  expect(JSON.stringify(kept) === JSON.stringify(unsent), `every change kept: ${kept.length} of ${unsent.length}`);
  await look(page, 'dang-nhap-lai-360');
  // Nothing reached the server meanwhile.
  const server = await admin(`/api/v1/inspections/${inspection}`);
  expect(!server.answers?.b, `not sent before signing in again: ${JSON.stringify(server.answers)}`);

  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(f.username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(f.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // Back where the inspector was.
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  await synced(page);
  expect((await local(page)).outbox.length === 0, 'the outbox is empty once signed in again');
  await context.close();
  return { inspection, unsent: unsent.length };
}

// An older build meets the server's 426. Service workers are blocked in this context so the
// older build can be served by Playwright as a stale cache would serve it; the server is
// untouched.
async function stale(browser) {
  const { context, page } = await phone(browser, { serviceWorkers: 'block' });
  await signIn(page, f.username, f.password);
  const inspection = await openUnit(page);
  await synced(page);
  await context.setOffline(true);
  await choose(page, 'b', 'Một phần');
  await choose(page, 'd', '4');
  await page.waitForFunction(() => Number(document.querySelector('#trang-thai-mang')?.dataset.pending) >= 2);
  const unsent = (await local(page)).outbox;
  await page.close();

  // The phone opens the app again, and what it runs is the older build.
  const old = readFileSync(f.stale_bundle, 'utf8');
  await context.route(/\/thuc-dia\/tai-nguyen\/app\.js/, (r) => r.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: old }));
  const calls = [];
  context.on('response', (r) => { if (r.url().includes('/api/v1/sync/')) calls.push(r.status()); });
  await context.setOffline(false);
  const stalePage = await watched(await context.newPage());
  await stalePage.goto(`${f.base}/thuc-dia/#/phieu/${inspection}`);
  const banner = stalePage.locator('#can-cap-nhat');
  await banner.waitFor();
  const words = await banner.textContent();
  expect(/Cần cập nhật ứng dụng/.test(words) && words.includes(`${unsent.length} thay đổi chưa gửi vẫn được giữ`), `the banner: "${words}"`);
  await status(stalePage).filter({ hasText: 'cần cập nhật ứng dụng' }).waitFor();
  expect(calls.length === 1 && calls[0] === 426, `one sync call, answered 426: ${JSON.stringify(calls)}`);
  // It stops: another edit and the sync button send nothing; the edit is kept too.
  await stalePage.locator('#muc-e-nhap').fill('9');
  await stalePage.locator('#muc-e-nhap').press('Tab');
  await stalePage.getByRole('button', { name: 'Đồng bộ' }).click();
  await sleep(2500);
  expect(calls.length === 1, `no sync call after the 426: ${JSON.stringify(calls)}`);
  const kept = (await local(stalePage)).outbox;
  expect(unsent.every((id) => kept.includes(id)) && kept.length === unsent.length + 1, `the outbox is kept: ${kept.length}`);
  await look(stalePage, 'cap-nhat-360');

  // The update: the server's current build, which sends everything.
  await context.unroute(/\/thuc-dia\/tai-nguyen\/app\.js/);
  await stalePage.getByRole('button', { name: 'Cập nhật ứng dụng' }).click();
  await stalePage.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  await synced(stalePage);
  expect(await banner.count() === 0, 'the banner is gone once updated');
  expect((await local(stalePage)).outbox.length === 0, 'the outbox is empty once updated');
  await context.close();
  return { inspection, unsent: kept.length };
}

const browser = await launch();
let out = {};
try {
  out = await ({ refresh, refused, stale })[f.journey](browser);
} catch (e) {
  failures.push(`${f.journey}: ${e.stack || e}`);
  for (const c of browser.contexts()) for (const p of c.pages()) failures.push(await diagnose(p));
} finally {
  await browser.close();
}
report(out);
