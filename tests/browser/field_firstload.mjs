// The first visit on a slow network (field_bench.mjs): an empty phone opens /thuc-dia/, signs
// in and waits for the first pull, under Chromium's network throttling. Bytes are what went
// over the (emulated) air for the page, by the Network domain's encoded lengths; the service
// worker's own precache requests run in its own target and are not throttled or counted here.
import { phone, f } from './field_lib.mjs';

// DevTools-like profiles: kbit/s both ways, round-trip time in ms.
export const PROFILES = [
  { name: 'Slow 3G', down: 400, up: 400, rtt: 400 },
  { name: 'Fast 3G', down: 1440, up: 675, rtt: 150 },
  { name: 'Slow 3G, no gzip', down: 400, up: 400, rtt: 400, identity: true },
];

export async function firstLoad(browser, p) {
  const { context, page } = await phone(browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: p.rtt, downloadThroughput: (p.down * 1000) / 8, uploadThroughput: (p.up * 1000) / 8,
  });
  // Without it the server compresses (actix Compress); this shows what that saves.
  if (p.identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  const urls = new Map();
  const got = [];
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, {
    url: e.response.url.replace(f.base, ''), encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '',
  }));
  cdp.on('Network.loadingFinished', (e) => got.push({ ...urls.get(e.requestId), bytes: e.encodedDataLength }));
  const t0 = Date.now();
  await page.goto(`${f.base}/thuc-dia/`);
  await page.getByLabel('Tên đăng nhập', { exact: true }).waitFor();
  const form = Date.now() - t0;
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(f.username || 'insp1');
  await page.getByLabel('Mật khẩu', { exact: true }).fill(f.password);
  const t1 = Date.now();
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // Usable: the rounds drawn from the first pull, with their units.
  await page.locator('.units li', { hasText: 'Xã Nghi Lộc' }).waitFor({ timeout: 120000 });
  const home = Date.now() - t1;
  await context.close();
  const sum = (pred) => got.filter(pred).reduce((s, r) => s + (r.bytes || 0), 0);
  const app = got.find((r) => /app\.js/.test(r.url || ''));
  return {
    profile: p.name, form_ms: form, signin_to_home_ms: home, total_ms: form + home,
    bytes: sum(() => true), app_bytes: sum((r) => !/^\/api\//.test(r.url || '')), api_bytes: sum((r) => /^\/api\//.test(r.url || '')),
    app_js: app ? { bytes: app.bytes, encoding: app.encoding } : null, requests: got.length,
  };
}
