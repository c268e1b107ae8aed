// The biên bản record, recommendations and deleting photos on the phone (/thuc-dia/), in
// Chromium on a 360 × 780 phone. Online: start the inspection and take photo C, which
// uploads. Offline: fill the checklist and the record (place, time typed as dd/mm/yyyy and
// hh:mm, members, attendees), be refused an empty recommendation, add one and take back a
// second, delete C (its record is on the server: a delete is queued), take A and B and delete
// B before it was ever sent (nothing is queued), submit, and go online. On the way, while
// still online, photo D is deleted halfway through its upload, which stops. Prints one JSON line
// for tests/api/web/field_record.rs to check against the server.
import { launch, expect } from './lib.mjs';
import { f, failures, phone, look, signIn, status, item, synced, diagnose, report } from './field_lib.mjs';

// Answers a confirm() with yes, keeping its question for the checks.
function accepting(page, asked) {
  page.once('dialog', (d) => { asked.push(d.message()); d.accept(); });
}

async function outbox(page) {
  return page.evaluate(() => new Promise((r) => {
    const open = indexedDB.open('kiemtra-thuc-dia');
    open.onsuccess = () => {
      const q = open.result.transaction('outbox').objectStore('outbox').getAll();
      q.onsuccess = () => r(q.result.map((e) => e.mutation));
    };
  }));
}

// Runs an edit that redraws the page and waits for that drawing, so the next action does not
// type into a field about to be replaced.
async function redrawn(page, action) {
  const before = Number(await page.locator('#noi-dung').getAttribute('data-drawn'));
  await action();
  await page.waitForFunction((n) => Number(document.querySelector('#noi-dung').dataset.drawn) > n, before, { timeout: 5000 })
    .catch(async (e) => { throw new Error(`no redrawing after ${before}: now ${await page.locator('#noi-dung').getAttribute('data-drawn')} ${e}`); });
}

// Waits until the page has not been redrawn for `ms`: after a sync the app redraws the
// inspection (unless a text field has focus), and a drawing that began before a field was
// filled replaces it with an empty one.
async function settled(page, ms = 700) {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const now = await page.locator('#noi-dung').getAttribute('data-drawn');
    if (now === last) return;
    last = now;
    await page.waitForTimeout(ms);
  }
  throw new Error('the page kept being redrawn');
}

async function checklist(page) {
  await redrawn(page, () => item(page, 'a').getByLabel('Có', { exact: true }).check());
  await redrawn(page, () => item(page, 'b').getByLabel('Đầy đủ', { exact: true }).check());
  for (const [id, text] of [['strengths', 'Tiếp công dân đúng lịch'], ['shortcomings', 'Biên bản đối thoại chưa lưu đủ']]) {
    await page.locator(`#kq-${id}`).fill(text);
    await redrawn(page, () => page.locator(`#kq-${id}`).press('Tab'));
  }
}

async function record(page) {
  await page.locator('#bb-place').fill('Hội trường UBND xã Nghi Lộc');
  await page.locator('#bb-place').press('Tab');
  // Half a time is not saved (the app asks for the other half), nor a day that does not exist.
  await page.locator('#bb-gio').fill('8h30');
  await page.locator('#bb-gio').press('Tab');
  await page.locator('#bb-gio-loi', { hasText: 'Nhập cả ngày' }).waitFor();
  await page.locator('#bb-ngay').fill('31/02/2026');
  await page.locator('#bb-ngay').press('Tab');
  await page.locator('#bb-gio-loi', { hasText: 'Ngày không có thật' }).waitFor();
  await page.locator('#bb-ngay').fill('10/03/2026');
  await page.locator('#bb-ngay').press('Tab');
  await page.locator('#bb-gio-loi').waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.querySelector('#bb-gio')?.value === '08:30');
  for (const [field, rows] of [
    ['members', [['Nguyễn Văn An', 'Trưởng đoàn'], ['Trần Thị Bình', '']]],
    ['attendees', [['Lê Văn Cường', 'Chủ tịch UBND xã']]],
  ]) {
    for (const [name, title] of rows) {
      await page.locator(`#bb-${field}-them`).click();
      await page.locator(`#bb-${field}-loi`).waitFor({ state: 'hidden' });
      const last = page.locator(`.people-list:has(#bb-${field}-them) li.person`).last();
      await last.locator('.p-name').fill(name);
      await last.locator('.p-title').fill(title);
      await last.locator('.p-title').press('Tab');
    }
  }
  // A row added by mistake and taken out again (the list is redrawn without it).
  await page.locator('#bb-members-them').click();
  await page.locator('#bb-members-2-ten').fill('Người ghi nhầm');
  await page.locator('#bb-members-2-ten').press('Tab');
  await redrawn(page, () => page.getByRole('button', { name: 'Bỏ người này (Thành phần đoàn kiểm tra, dòng 3)' }).click());
  await page.waitForFunction(() => document.querySelectorAll('li.person').length === 3
    && document.querySelector('#bb-attendees-0-ten')?.value === 'Lê Văn Cường');
}

async function recommendations(page, asked) {
  await page.getByRole('button', { name: 'Lưu kiến nghị' }).click();
  await page.locator('#kn-content-loi', { hasText: 'Nhập nội dung kiến nghị' }).waitFor();
  await page.locator('#kn-content').fill('Niêm yết công khai lịch tiếp công dân tại bộ phận một cửa');
  await page.locator('#kn-unit').selectOption({ label: 'Xã Nghi Lộc' });
  await page.locator('#kn-responsible').fill('Văn phòng UBND xã');
  await page.locator('#kn-due').fill('2026-06-30');
  await page.getByRole('button', { name: 'Lưu kiến nghị' }).click();
  await page.locator('li.recommendation', { hasText: 'Niêm yết công khai' }).waitFor();
  // A second one, taken back before it is sent: nothing of it reaches the server.
  await page.locator('#kn-content').fill('Kiến nghị ghi nhầm');
  await page.getByRole('button', { name: 'Lưu kiến nghị' }).click();
  const wrong = page.locator('li.recommendation', { hasText: 'Kiến nghị ghi nhầm' });
  accepting(page, asked);
  await wrong.getByRole('button', { name: 'Bỏ kiến nghị' }).click();
  await wrong.waitFor({ state: 'detached' });
}

// The recommendation sent earlier is changed with no network: the form comes prefilled, and
// the change is queued as a `recommendation.update` from the version the phone pulled.
async function changed(page) {
  const sent = page.locator('li.recommendation', { hasText: 'Kiến nghị sẽ sửa' });
  await sent.getByRole('button', { name: 'Sửa kiến nghị' }).click();
  await page.getByRole('heading', { name: 'Sửa kiến nghị' }).waitFor();
  expect(await page.locator('#kn-content').inputValue() === 'Kiến nghị sẽ sửa', 'the change form shows the recommendation');
  await page.locator('#kn-content').fill('Kiến nghị đã sửa khi không có mạng');
  await page.locator('#kn-due').fill('2026-09-30');
  await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await page.locator('li.recommendation', { hasText: 'Kiến nghị đã sửa khi không có mạng' }).locator('.chua-gui').waitFor();
  await page.getByRole('heading', { name: 'Thêm kiến nghị' }).waitFor();
}

// Photo D is deleted while its bytes are on the way (its first chunk held back): the upload
// stops (no further chunk), the server's partial upload is abandoned (a tus DELETE), and the
// record, already sent, is deleted on the server.
async function deletedWhileUploading(page, asked) {
  const seen = [];
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/api/v1/uploads/**', async (route) => {
    const method = route.request().method();
    seen.push(method);
    if (method === 'PATCH') await held;
    await route.continue().catch(() => {});
  });
  await item(page, 'g').locator('input[type=file]').setInputFiles(f.photo_b);
  const d = await page.locator('[data-photo]').nth(1).getAttribute('data-photo');
  for (let i = 0; i < 200 && !seen.includes('PATCH'); i++) await page.waitForTimeout(100);
  expect(seen.includes('PATCH'), `D's upload started: ${seen}`);
  accepting(page, asked);
  await page.locator(`[data-photo="${d}"]`).getByRole('button', { name: /Xoá ảnh/ }).click();
  await page.locator(`[data-photo="${d}"]`).waitFor({ state: 'detached' });
  for (let i = 0; i < 100 && !seen.includes('DELETE'); i++) await page.waitForTimeout(100);
  release();
  await synced(page);
  await page.unroute('**/api/v1/uploads/**');
  expect(seen.filter((m) => m === 'PATCH').length === 1, `no chunk after the deletion: ${seen}`);
  expect(seen.includes('DELETE'), `the partial upload is abandoned: ${seen}`);
  return d;
}

const browser = await launch();
let out = {};
let current = null;
try {
  const { context, page } = await phone(browser);
  current = page;
  const asked = [];
  await signIn(page, f.username || 'insp1', f.password);
  await page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  const inspection = /#\/phieu\/(.+)$/.exec(page.url())[1];
  await item(page, 'g').locator('input[type=file]').setInputFiles(f.photo_c);
  const c = await page.locator('[data-photo]').first().getAttribute('data-photo');
  await synced(page);
  await page.locator(`[data-photo="${c}"] .upload-state`, { hasText: 'Đã tải lên' }).waitFor();
  const stopped = await deletedWhileUploading(page, asked);
  // A recommendation sent while online, to be changed offline below.
  await settled(page);
  await page.locator('#kn-content').fill('Kiến nghị sẽ sửa');
  await page.getByRole('button', { name: 'Lưu kiến nghị' }).click();
  await page.locator('li.recommendation', { hasText: 'Kiến nghị sẽ sửa' }).waitFor();
  for (let i = 0; i < 300 && (await outbox(page)).length; i++) await page.waitForTimeout(100);
  await synced(page);
  expect((await outbox(page)).length === 0, 'the recommendation reached the server');
  await page.locator('li.recommendation', { hasText: 'Kiến nghị sẽ sửa' }).waitFor();

  await context.setOffline(true);
  await status(page).filter({ hasText: 'Không có mạng' }).waitFor();
  await checklist(page);
  await record(page);
  await look(page, 'bien-ban-360', '#bien-ban');
  await recommendations(page, asked);
  await changed(page);
  await look(page, 'kien-nghi-360', '#kien-nghi');

  accepting(page, asked);
  await page.locator(`[data-photo="${c}"]`).getByRole('button', { name: /Xoá ảnh/ }).click();
  await page.locator(`[data-photo="${c}"]`).waitFor({ state: 'detached' });
  const photos = () => page.locator('[data-photo]').evaluateAll((els) => els.map((e) => e.dataset.photo));
  await item(page, 'g').locator('input[type=file]').setInputFiles(f.photo);
  await page.locator('[data-photo]').nth(0).waitFor();
  const [a] = await photos();
  await item(page, 'g').locator('input[type=file]').setInputFiles(f.photo_b);
  await page.locator('[data-photo]').nth(1).waitFor();
  const b = (await photos()).find((id) => id !== a);
  accepting(page, asked);
  await page.locator(`[data-photo="${b}"]`).getByRole('button', { name: /Xoá ảnh/ }).click();
  await page.locator(`[data-photo="${b}"]`).waitFor({ state: 'detached' });
  expect(asked.length === 4 && asked.every((q) => /Xoá ảnh|Bỏ kiến nghị/.test(q)), `each deletion asked first: ${asked}`);

  const queued = await outbox(page);
  const about = (id) => queued.filter((m) => m.id === id).map((m) => m.type);
  expect(about(b).length === 0, `B was never sent, so nothing of it is queued: ${about(b)}`);
  expect(about(c).join() === 'evidence.delete', `C's record is on the server: its delete is queued: ${about(c)}`);
  expect(about(a).join() === 'evidence.create', `A waits to be sent: ${about(a)}`);
  const fix = queued.filter((m) => m.type === 'recommendation.update');
  expect(fix.length === 1 && fix[0].base_version === 1 && fix[0].due_on === '2026-09-30',
    `one change of the sent recommendation, from version 1: ${JSON.stringify(fix)}`);
  const update = queued.find((m) => m.type === 'inspection.update' && m.fields.members);
  expect(typeof update?.fields.members.base_value !== 'object' || update.fields.members.base_value === null,
    'base values are text, as the server keeps them');

  await page.getByRole('button', { name: 'Nộp phiếu' }).click();
  await page.locator('.badge', { hasText: 'Đã nộp' }).first().waitFor();
  await context.setOffline(false);
  await synced(page);
  await page.locator(`[data-photo="${a}"] .upload-state`, { hasText: 'Đã tải lên' }).waitFor();
  const rec = page.locator('li.recommendation', { hasText: 'Niêm yết công khai' });
  expect(await rec.locator('.chua-gui').count() === 0, 'the recommendation was sent');
  expect(await rec.getByRole('button').count() === 0, 'a sent recommendation is read-only on the phone');
  expect(await page.locator('#bb-gio').inputValue() === '08:30', 'the time reads back in Việt Nam\'s time after the pull');
  out = { inspection, kept: a, dropped: b, deleted: c, stopped };
  await context.close();
} catch (e) {
  failures.push(`journey: ${e.stack || e}`);
  if (current) failures.push(await diagnose(current));
} finally {
  await browser.close();
}
report(out);
