// Benchmark, not a timed test (tests/api/web/field.rs::field_benchmark, ignored by default):
// the script's weight on first load, the time a 60-item checklist takes to open with no
// network, what one filled inspection occupies in the phone's IndexedDB, and the first visit
// (load, sign-in, first pull) on throttled networks (field_firstload.mjs).
import { launch } from './lib.mjs';
import { PROFILES, firstLoad } from './field_firstload.mjs';
import { f, failures, phone, signIn, item, synced, diagnose, report } from './field_lib.mjs';

const browser = await launch();
let out = {};
let current = null;
try {
  const { context, page } = await phone(browser);
  current = page;
  await signIn(page, f.username || 'insp1', f.password);
  const script = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((r) => r.initiatorType === 'script' || /\.js(\?|$)/.test(r.name))
    .map((r) => ({ url: r.name.replace(location.origin, ''), transferred: r.transferSize, decoded: r.decodedBodySize })));
  await page.getByRole('button', { name: /Xã Nghi Lộc/ }).click();
  await page.getByRole('heading', { name: 'Xã Nghi Lộc' }).waitFor();
  const hash = new URL(page.url()).hash;
  await context.setOffline(true);
  // Every yes/no item answered "Có", every number 1: a full phiếu's worth of answers.
  for (const id of await page.locator('[data-item]').evaluateAll((els) => els.map((e) => e.dataset.item))) {
    const yes = item(page, id).getByLabel('Có', { exact: true });
    if (await yes.count()) await yes.check();
  }
  const opens = [];
  for (let i = 0; i < 5; i++) {
    // Back to the rounds by the address, as the app's own link does (a same-document change).
    await page.evaluate(() => { location.hash = '#/'; });
    await page.getByRole('heading', { name: 'Đợt kiểm tra của tôi' }).waitFor();
    opens.push(await page.evaluate((h) => new Promise((resolve) => {
      const t0 = performance.now();
      location.hash = h;
      const check = () => (document.querySelectorAll('[data-item]').length >= 60 && document.querySelector('#kq-strengths')
        ? resolve(Math.round(performance.now() - t0)) : requestAnimationFrame(check));
      check();
    }), hash));
  }
  const measure = (id) => page.evaluate(async (insp) => {
    const open = indexedDB.open('kiemtra-thuc-dia');
    const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
    const read = (t) => new Promise((r) => { const q = db.transaction(t).objectStore(t).getAll(); q.onsuccess = () => r(q.result); });
    const rows = await read('rows');
    const mine = rows.filter((r) => r.insp === insp);
    const outbox = (await read('outbox')).filter((e) => e.insp === insp);
    const bytes = (xs) => xs.reduce((s, x) => s + JSON.stringify(x).length, 0);
    const inspection = mine.find((r) => r.entity === 'inspection');
    const template = rows.filter((r) => r.entity === 'template_version' && r.id === inspection?.data.template_version_id);
    return { rows: mine.length, row_bytes: bytes(mine), outbox: outbox.length, outbox_bytes: bytes(outbox), template_bytes: bytes(template) };
  }, id);
  const id = hash.split('/').pop();
  const offline = await measure(id);
  await context.setOffline(false);
  await synced(page);
  const storage = { offline, synced: await measure(id), usage: await page.evaluate(async () => (await navigator.storage.estimate()).usage) };
  const items = await page.locator('[data-item]').count();
  opens.sort((a, b) => a - b);
  await context.close();
  const first_visit = [];
  for (const p of PROFILES) first_visit.push(await firstLoad(browser, p));
  out = { script, items, open_offline_ms: opens, median_open_ms: opens[2], storage, first_visit };
} catch (e) {
  failures.push(`bench: ${e.stack || e}`);
  if (current) failures.push(await current.locator('body').innerText().catch(() => ''), current.url());
  if (current) failures.push(await diagnose(current));
} finally {
  await browser.close();
}
report(out);
