// The offline app's service worker: keeps the app's own files (the shell, the bundle, the
// stylesheets, the manifest) in a cache named after the build, and answers them from there,
// so the app opens and reloads with no network. It never touches /api/: data lives in
// IndexedDB and travels through the sync API, never through this cache. The server fills
// in the build's hash and the list of files (api/web/field/mod.rs).
const CACHE = 'thuc-dia-__BUILD__';
const PRECACHE = __PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('thuc-dia-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // Every page of the app is the one shell (its views are #/… addresses).
  const key = req.mode === 'navigate' && url.pathname.startsWith('/thuc-dia/') ? '/thuc-dia/' : req;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(key);
      if (hit) return hit;
      return fetch(req);
    }),
  );
});
