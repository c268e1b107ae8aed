// Two phones of the same inspector edit the same item of one inspection while offline, then
// sync one after the other. The server keeps the later edit and a conflict record for the
// lead (checked by tests/api/web/field.rs); the phone that synced second is told in plain
// words, and after one more sync both phones show the same answer.
import { launch, expect } from './lib.mjs';
import { f, failures, phone, look, signIn, item, synced, diagnose, report } from './field_lib.mjs';

const browser = await launch();
let out = {};
const open = [];
try {
  const a = await phone(browser);
  const b = await phone(browser);
  open.push(a.page, b.page);
  await signIn(a.page, f.username || 'insp1', f.password);
  await a.page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await a.page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  await item(a.page, 'b').getByLabel('Đầy đủ', { exact: true }).check();
  await synced(a.page);
  const inspection = /#\/phieu\/(.+)$/.exec(a.page.url())[1];

  await signIn(b.page, f.username || 'insp1', f.password);
  await b.page.getByRole('link', { name: /Xã Nghi Lộc/ }).click();
  await b.page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  expect(await item(b.page, 'b').getByLabel('Đầy đủ', { exact: true }).isChecked(), 'the second phone pulled the first one\'s answer');

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await item(a.page, 'b').getByLabel('Một phần', { exact: true }).check();
  await item(b.page, 'b').getByLabel('Không', { exact: true }).check();

  await a.context.setOffline(false);
  await synced(a.page);
  await b.context.setOffline(false);
  await synced(b.page);
  // The second phone's edit is the later one: it wins, and the phone says what happened.
  await b.page.locator('.conflicts').filter({ hasText: 'Người khác cũng sửa mục “Tiếp công dân”' }).waitFor();
  // Both values, in the checklist's words, until the lead chooses.
  await b.page.locator('.conflicts li.conflict', { hasText: 'đang dùng “Không”, bản kia “Một phần”' }).waitFor();
  await look(b.page, 'xung-dot-360');

  await a.page.getByRole('button', { name: 'Đồng bộ' }).click();
  await item(a.page, 'b').getByLabel('Không', { exact: true }).and(a.page.locator(':checked')).waitFor();
  expect(await item(b.page, 'b').getByLabel('Không', { exact: true }).isChecked(), 'both phones converge');
  out = { inspection };
} catch (e) {
  failures.push(`conflict journey: ${e.stack || e}`);
  for (const p of open) failures.push(await diagnose(p));
} finally {
  await browser.close();
}
report(out);
