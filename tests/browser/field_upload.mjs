// A photo upload cut off halfway: the network goes while the tus upload is between chunks,
// the page is reloaded with no network, and when the network returns the upload carries on
// from the server's offset (a HEAD, then a PATCH from there) instead of starting again. On
// the way, the inspector signs out with the photo unsent (warned) and another person's sign-in
// is refused until the photo's owner is back.
import { launch, expect } from './lib.mjs';
import { f, failures, phone, signIn, item, synced, diagnose, report } from './field_lib.mjs';

const browser = await launch();
let out = {};
let current = null;
try {
  const { context, page } = await phone(browser);
  current = page;
  await signIn(page, f.username || 'insp1', f.password);
  await page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();

  // The second chunk never arrives: the network is gone by then.
  let patches = 0;
  let cut = false;
  await context.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() === 'PATCH' && ++patches === 2) cut = true;
    if (!cut) return route.continue();
    await route.abort('internetdisconnected').catch(() => {});
    if (patches === 2) await context.setOffline(true);
  });
  await item(page, 'g').locator('input[type=file]').setInputFiles(f.photo);
  const evidence = await page.locator('[data-photo]').first().getAttribute('data-photo');
  await page.waitForFunction(() => !navigator.onLine, null, { timeout: 30000 });
  await context.unroute('**/api/v1/uploads/**');

  await page.reload();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  const kept = Number(await page.locator('[data-photo] progress').getAttribute('value'));
  expect(kept > 0, `the first chunk is remembered after a reload (progress ${kept})`);

  // Signing out with the photo's bytes still on the phone: the warning counts the photo, and
  // nobody else may sign in until its owner has sent it (their sign-in would empty the store).
  const question = page.waitForEvent('dialog');
  const clicked = page.getByRole('button', { name: 'Đăng xuất' }).click();
  const dialog = await question;
  const warned = dialog.message();
  await dialog.accept();
  await clicked;
  expect(/1 ảnh chưa gửi/.test(warned), `sign-out counts the unsent photo: "${warned}"`);
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();

  const calls = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/uploads')) calls.push({ method: r.method(), offset: r.headers()['upload-offset'] || null });
  });
  await context.setOffline(false);
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(f.lead || 'lead1');
  await page.getByLabel('Mật khẩu', { exact: true }).fill(f.lead_password || 'pw-lead1-123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('#loi-dang-nhap', { hasText: 'ảnh chưa gửi' }).waitFor();
  expect(calls.length === 0, `nothing is uploaded while nobody is signed in: ${JSON.stringify(calls)}`);
  // Its owner signs in again: the photo is still there and its upload goes on.
  await signIn(page, f.username || 'insp1', f.password);
  await page.getByRole('link', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  await synced(page);
  await page.locator('[data-photo] .upload-state', { hasText: 'Đã tải lên' }).waitFor();
  expect(!calls.some((c) => c.method === 'POST'), `no new upload was made: ${JSON.stringify(calls)}`);
  const first = calls.find((c) => c.method === 'PATCH');
  expect(first && Number(first.offset) > 0, `the upload resumed from the server's offset: ${JSON.stringify(calls)}`);
  out = { evidence, calls, kept };
} catch (e) {
  failures.push(`upload journey: ${e.stack || e}`);
  if (current) failures.push(await diagnose(current));
} finally {
  await browser.close();
}
report(out);
