// Error bodies as a browser or phone reads them: Node's fetch (undici) with its default
// headers, which ask for compressed bodies (Accept-Encoding: gzip, deflate, br) and decode
// them. Prints one JSON line per request for the cargo test to check.
const base = process.env.KT_BASE;
const token = process.env.KT_TOKEN;
const calls = [
  ['GET', '/api/v1/inspections/00000000-0000-0000-0000-000000000000', token],
  ['GET', '/api/v1/me', 'not-a-token'],
  ['GET', '/api/v1/no-such-route', token],
  ['POST', '/api/v1/units', token, '{"code": '],
  ['GET', '/docs/', null],
];
for (const [method, path, auth, body] of calls) {
  const headers = { 'Accept-Language': 'vi' };
  if (auth) headers.Authorization = `Bearer ${auth}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { parsed = null; }
  console.log(JSON.stringify({
    path,
    status: res.status,
    encoding: res.headers.get('content-encoding'),
    type: res.headers.get('content-type'),
    body: parsed,
    html: parsed ? null : text.slice(0, 200),
  }));
}
