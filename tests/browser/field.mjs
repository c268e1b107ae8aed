// The inspectors' offline app (/thuc-dia/) in Chromium, on a 360 × 780 phone: sign in, go
// offline (network emulation), fill the checklist (every kind of the test template, a
// condition, not-applicable, a photo through the file input, findings), submit, reload while
// still offline, come back online and let it sync. Prints one JSON line (the inspection's id,
// the photo's evidence id) for tests/api/web/field.rs to check against the server.
import { launch, expect } from './lib.mjs';
import { f, failures, phone, look, signIn, status, item, synced, diagnose, report } from './field_lib.mjs';

const timings = {};

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
  // Chromium would offer to install it: manifest, icons, worker and scope all pass its checks
  // (a test context is incognito, which is the one objection allowed).
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  const objections = installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
  expect(objections.length === 0, `installable: ${objections.join(', ')}`);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors.length === 0, `the manifest parses: ${JSON.stringify(manifest.errors)}`);
  await cdp.detach();

  await context.setOffline(true);
  await status(page).filter({ hasText: 'Không có mạng' }).waitFor();
  await page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  expect(await item(page, 'c').count() === 0, 'c is hidden until a is "no"');
  await fill(page);
  expect(Number(await status(page).getAttribute('data-pending')) > 0, 'edits wait in the outbox while offline');
  // Signing out with unsent work asks first; saying no keeps the session and the work.
  // The click does not end while confirm() is open, so the dialog is answered before it is awaited.
  const question = page.waitForEvent('dialog');
  const clicked = page.getByRole('button', { name: 'Đăng xuất' }).click();
  const dialog = await question;
  const warned = dialog.message();
  await dialog.dismiss();
  await clicked;
  expect(/chưa gửi/.test(warned), `sign-out warns of unsent changes: "${warned}"`);
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
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
  await synced(page);
  await page.locator('[data-photo] .upload-state', { hasText: 'Đã tải lên' }).waitFor();
  await look(page, 'da-dong-bo-360');

  // The lead returns it with a reason; the phone shows the reason at its next sync.
  const api = async (path, token, body) => {
    const res = await fetch(`${f.base}${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.ok, `${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const lead = await api('/api/v1/auth/login', null, { username: f.lead || 'lead1', password: f.lead_password || 'pw-lead1-123' });
  await api(`/api/v1/inspections/${inspection}/return`, lead.access_token, { reason: 'Bổ sung ảnh buổi làm việc' });
  await page.getByRole('button', { name: 'Đồng bộ' }).click();
  await page.locator('.return-reason', { hasText: 'Bổ sung ảnh buổi làm việc' }).waitFor();
  expect(await item(page, 'b').getByLabel('Đầy đủ', { exact: true }).isEnabled(), 'a returned inspection can be edited again');
  await look(page, 'tra-lai-360');

  // Signing out with everything sent asks nothing and leaves nothing of the team's behind.
  page.once('dialog', (d) => { failures.push(`an unexpected question at sign-out: ${d.message()}`); d.dismiss(); });
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  const left = await page.evaluate(() => new Promise((r) => {
    const open = indexedDB.open('kiemtra-thuc-dia');
    open.onsuccess = () => { const q = open.result.transaction('rows').objectStore('rows').count(); q.onsuccess = () => r(q.result); };
  }));
  expect(left === 0, `sign-out empties the local store (${left} rows left)`);
  out = { inspection, evidence, timings };
  await context.close();
} catch (e) {
  failures.push(`journey: ${e.stack || e}`);
  if (current) failures.push(await diagnose(current));
} finally {
  await browser.close();
}
report(out);
