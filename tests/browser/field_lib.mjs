// What the offline app's browser journeys share (field.mjs, field_conflict.mjs,
// field_upload.mjs): a 360 × 780 phone with every script error and CSP violation collected,
// axe-core on each screen with its screenshot as docs/img/field-<name>.png, and sign-in.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fixture } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const f = fixture();
export const failures = [];

export async function phone(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...options,
  });
  const page = await watched(await context.newPage());
  return { context, page };
}

// Every script error, CSP violation and unexpected console error of a page fails the journey.
export async function watched(page) {
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => failures.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy/i.test(t)) failures.push(`CSP violation: ${t}`);
    if (m.type() === 'error' && !/status of 4\d\d|net::ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(t)) failures.push(`console error: ${t}`);
  });
  return page;
}

// Serious and critical axe findings, and a screenshot as docs/img/field-<name>.png: the
// screen from its top, or from the element `at` (a selector) when the part shown is lower.
export async function look(page, name, at = null) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  failures.push(...found.map((v) => `${name}: axe ${v}`));
  if (f.screenshots) {
    mkdirSync(f.screenshots, { recursive: true });
    // The phone's screen from the top, as the inspector first sees it (the bar of actions
    // stays at its foot).
    await page.evaluate((sel) => {
      const el = sel && document.querySelector(sel);
      if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8);
      else window.scrollTo(0, 0);
    }, at);
    await page.screenshot({ path: `${f.screenshots}/field-${name}.png` });
  }
}

export const status = (page) => page.locator('#trang-thai-mang');
export const item = (page, id) => page.locator(`[data-item="${id}"]`);

export async function signIn(page, username, password) {
  await page.goto(`${f.base}/thuc-dia/`);
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Đợt kiểm tra của tôi' }).waitFor();
}


// Waits until the app says everything is on the server.
export async function synced(page, timeout = 60000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('#trang-thai-mang');
    return s && s.dataset.pending === '0' && /đã đồng bộ/.test(s.textContent);
  }, null, { timeout });
}

// The app's own account of itself, for a failure's message: status line, outbox, photos.
export async function diagnose(page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('kiemtra-thuc-dia');
    const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
    const read = (t) => new Promise((r) => { const q = db.transaction(t).objectStore(t).getAll(); q.onsuccess = () => r(q.result); });
    const photos = (await read('photos')).map(({ blob, ...p }) => p);
    const meta = (await read('meta')).filter((m) => m.key !== 'session');
    return JSON.stringify({ status: document.querySelector('#trang-thai-mang')?.textContent, outbox: await read('outbox'), photos, meta });
  }).catch((err) => `no diagnostics: ${err}`);
}

// One JSON line for the cargo test, and the exit status.
export function report(out) {
  console.log(JSON.stringify({ ...out, failures }));
  process.exit(failures.length ? 1 : 0);
}
