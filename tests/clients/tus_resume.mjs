// A photo upload over tus with the real tus-js-client, cut off halfway and resumed, as a
// phone on a weak network would. Prints one JSON line for the cargo test to check.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tus from 'tus-js-client';

const base = process.env.KT_BASE;
const token = process.env.KT_TOKEN;
const evidenceId = process.env.KT_EVIDENCE;
const file = readFileSync(process.env.KT_FILE);
const endpoint = `${base}/api/v1/uploads`;
const common = {
  endpoint,
  headers: { Authorization: `Bearer ${token}` },
  metadata: { evidence_id: evidenceId, filename: 'bang-niem-yet.jpg', filetype: 'image/jpeg' },
  retryDelays: null,
  storeFingerprintForResuming: false,
};

// First attempt through a proxy that drops the connection once half the file has crossed
// it: the network failing mid-request, as on 3G in a mountain commune.
const target = new URL(base);
let forwarded = 0;
const sockets = new Set();
const proxy = net.createServer((client) => {
  const server = net.connect(Number(target.port), target.hostname);
  sockets.add(client); sockets.add(server);
  client.on('data', (chunk) => {
    forwarded += chunk.length;
    if (forwarded > file.length / 2) {
      for (const s of sockets) s.destroy();
      return;
    }
    server.write(chunk);
  });
  server.on('data', (chunk) => client.write(chunk));
  client.on('error', () => server.destroy());
  server.on('error', () => client.destroy());
  client.on('close', () => server.destroy());
  server.on('close', () => client.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const proxied = `http://127.0.0.1:${proxy.address().port}/api/v1/uploads`;

const firstUrl = await new Promise((resolve, reject) => {
  const up = new tus.Upload(file, {
    ...common,
    endpoint: proxied,
    onSuccess() { reject(new Error('the first attempt was meant to be cut off')); },
    onError() { resolve(up.url); },
  });
  up.start();
});
proxy.close();
if (!firstUrl) throw new Error('the upload was never created');

// Let the server notice the dropped connection and keep what arrived.
await new Promise((r) => setTimeout(r, 500));
const head = await fetch(new URL(new URL(firstUrl).pathname, endpoint), {
  method: 'HEAD',
  headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' },
});
const offsetAfterCut = Number(head.headers.get('upload-offset'));

// Second attempt: the same upload URL; tus-js-client asks the offset and sends the rest.
let resumedFrom = null;
await new Promise((resolve, reject) => {
  const up = new tus.Upload(file, {
    ...common,
    uploadUrl: new URL(new URL(firstUrl).pathname, endpoint).toString(),
    onUploadUrlAvailable() {},
    onProgress(sent) { if (resumedFrom === null) resumedFrom = sent; },
    onSuccess: resolve,
    onError: reject,
  });
  up.start();
});

console.log(JSON.stringify({ url: new URL(firstUrl).pathname, total: file.length, offsetAfterCut, headStatus: head.status }));
