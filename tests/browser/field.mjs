// The inspectors' offline app (/thuc-dia/) in Chromium, on a 360 × 780 phone: sign in, go
// offline (network emulation), fill the checklist (every kind of the test template, a
// condition, not-applicable, a photo through the file input, findings), submit, reload while
// still offline, come back online and let it sync. Prints one JSON line (the inspection's id,
// the photo's evidence id) for tests/api/web/field.rs to check against the server.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fixture, launch, expect } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const f = fixture();
const failures = [];
const timings = {};

async function phone(browser) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => failures.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy/i.test(t)) failures.push(`CSP violation: ${t}`);
    if (m.type() === 'error' && !/status of 4\d\d|net::ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(t)) failures.push(`console error: ${t}`);
  });
  return { context, page };
}

// Serious and critical axe findings, and a screenshot as docs/img/field-<name>.png.
async function look(page, name) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  failures.push(...found.map((v) => `${name}: axe ${v}`));
  if (f.screenshots) {
    mkdirSync(f.screenshots, { recursive: true });
    await page.screenshot({ path: `${f.screenshots}/field-${name}.png`, fullPage: true, clip: { x: 0, y: 0, width: 360, height: 1600 } });
  }
}

const status = (page) => page.locator('#trang-thai-mang');
const item = (page, id) => page.locator(`[data-item="${id}"]`);

async function signIn(page, username, password) {
  await page.goto(`${f.base}/thuc-dia/`);
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Đợt kiểm tra của tôi' }).waitFor();
}

async function fill(page) {
  await item(page, 'a').getByLabel('Không', { exact: true }).check();
  // `c` is shown only when `a` is "no".
  await page.locator('#muc-c-nhap').fill('Chưa kịp xây dựng chương trình');
  await page.locator('#muc-c-nhap').press('Tab');
  await item(page, 'b').getByLabel('Một phần', { exact: true }).check();
  await item(page, 'd').getByLabel('4', { exact: true }).check();
  await page.locator('#muc-e-nhap').fill('12');
  await page.locator('#muc-e-nhap').press('Tab');
  await item(page, 'f').getByLabel('Không áp dụng').check();
  await item(page, 'g').locator('input[type=file]').setInputFiles(f.photo);
  await page.locator('[data-photo]').first().waitFor();
  await page.locator('#kq-strengths').fill('Niêm yết thủ tục đầy đủ');
  await page.locator('#kq-strengths').press('Tab');
  await page.locator('#kq-shortcomings').fill('Chưa đối thoại định kỳ');
  await page.locator('#kq-shortcomings').press('Tab');
  await page.waitForFunction(() => document.querySelector('#kq-shortcomings')?.value === 'Chưa đối thoại định kỳ');
}

const browser = await launch();
let out = {};
let current = null;
try {
  const { context, page } = await phone(browser);
  current = page;
  await signIn(page, f.username || 'insp1', f.password);
  await look(page, 'dot-360');
  expect(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), 'the service worker is active');

  await context.setOffline(true);
  await status(page).filter({ hasText: 'Không có mạng' }).waitFor();
  await page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  expect(await item(page, 'c').count() === 0, 'c is hidden until a is "no"');
  await fill(page);
  expect(Number(await status(page).getAttribute('data-pending')) > 0, 'edits wait in the outbox while offline');
  await page.getByRole('button', { name: 'Nộp phiếu' }).click();
  await page.locator('.badge', { hasText: 'Đã nộp' }).first().waitFor();
  await look(page, 'phieu-360');
  const inspection = /#\/phieu\/(.+)$/.exec(page.url())[1];
  const evidence = await page.locator('[data-photo]').first().getAttribute('data-photo');

  // A reload with no network: the service worker brings the app, IndexedDB the work.
  const t0 = Date.now();
  await page.reload();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  timings.reload_offline_ms = Date.now() - t0;
  expect(await item(page, 'b').getByLabel('Một phần', { exact: true }).isChecked(), 'answers survive an offline reload');
  expect(await page.locator('#kq-strengths').inputValue() === 'Niêm yết thủ tục đầy đủ', 'findings survive an offline reload');

  await context.setOffline(false);
  await page.waitForFunction(() => {
    const s = document.querySelector('#trang-thai-mang');
    return s && s.dataset.pending === '0' && /đã đồng bộ/.test(s.textContent);
  }, null, { timeout: 60000 });
  await page.locator('[data-photo] .upload-state', { hasText: 'Đã tải lên' }).waitFor();
  await look(page, 'da-dong-bo-360');
  out = { inspection, evidence, timings };
  await context.close();
} catch (e) {
  failures.push(`journey: ${e.stack || e}`);
  // What the app itself says: its status line and the outbox it still holds.
  if (current) {
    failures.push(await current.evaluate(async () => {
      const open = indexedDB.open('kiemtra-thuc-dia');
      const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
      const read = (t) => new Promise((r) => { const q = db.transaction(t).objectStore(t).getAll(); q.onsuccess = () => r(q.result); });
      const photos = (await read('photos')).map(({ blob, ...p }) => p);
      return JSON.stringify({ status: document.querySelector('#trang-thai-mang')?.textContent, outbox: await read('outbox'), photos, meta: await read('meta') });
    }).catch((err) => `no diagnostics: ${err}`));
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ...out, failures }));
process.exit(failures.length ? 1 : 0);
