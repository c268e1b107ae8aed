// A photo upload over tus with the real tus-js-client, in two runs around a server crash.
// KT_MODE=start: the upload goes through a slow proxy (one long PATCH) and prints its URL as soon
// as it exists; the cargo test kills the server in the middle of that PATCH, and this run ends
// with the error the client sees. KT_MODE=resume: the same upload (KT_UPLOAD, a path) resumed on
// the restarted server (KT_BASE) from the offset it reports. One JSON line per event.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tus from 'tus-js-client';

const base = process.env.KT_BASE;
const token = process.env.KT_TOKEN;
const file = readFileSync(process.env.KT_FILE);
const common = {
  headers: { Authorization: `Bearer ${token}` },
  metadata: { evidence_id: process.env.KT_EVIDENCE, filename: 'bien-ban.jpg', filetype: 'image/jpeg' },
  retryDelays: null,
  storeFingerprintForResuming: false,
};
const say = (o) => console.log(JSON.stringify(o));

if (process.env.KT_MODE === 'start') {
  // Bytes per second the proxy lets through towards the server.
  const rate = Number(process.env.KT_RATE || 2_000_000);
  const target = new URL(base);
  const proxy = net.createServer((client) => {
    const server = net.connect(Number(target.port), target.hostname);
    client.on('data', (chunk) => {
      server.write(chunk);
      client.pause();
      setTimeout(() => client.resume(), Math.ceil((chunk.length / rate) * 1000));
    });
    server.on('data', (chunk) => client.write(chunk));
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  const up = new tus.Upload(file, {
    ...common,
    endpoint: `http://127.0.0.1:${proxy.address().port}/api/v1/uploads`,
    onUploadUrlAvailable() { say({ url: new URL(up.url).pathname }); },
    onSuccess() { say({ finished: true }); process.exit(0); },
    onError(e) { say({ error: String(e).slice(0, 200) }); process.exit(0); },
  });
  up.start();
} else {
  const uploadUrl = `${base}${process.env.KT_UPLOAD}`;
  const head = await fetch(uploadUrl, {
    method: 'HEAD',
    headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' },
  });
  const offsetBefore = Number(head.headers.get('upload-offset'));
  await new Promise((resolve, reject) => {
    const up = new tus.Upload(file, {
      ...common,
      endpoint: `${base}/api/v1/uploads`,
      uploadUrl,
      onSuccess: resolve,
      onError: reject,
    });
    up.start();
  });
  say({ resumed: true, headStatus: head.status, offsetBefore, total: file.length });
}
