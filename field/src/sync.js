// The sync engine (docs/sync.md, "A device's loop"): edits become mutations in the outbox,
// each with its own id (kept across retries) and an HLC time; `sync()` pushes them oldest
// first, stores each row the server answers with, then pulls from the stored cursor. Rows in
// the store are the server's; views lay the outbox's pending edits over them (`pending`), so
// a pull never hides an edit not yet sent.
import { api, ApiError, Offline, deviceId, SCHEMA_VERSION } from './api.js';
import { db, put, apply, getMeta, setMeta, key } from './store.js';
import { tick, observe } from './hlc.js';

export const events = new EventTarget();
const emit = (type, detail) => events.dispatchEvent(new CustomEvent(type, { detail }));

export async function nextHlc() {
  const node = await deviceId();
  const next = tick(await getMeta('hlc'), Date.now(), node);
  await setMeta('hlc', next);
  return next;
}

// Queues a mutation. With `coalesce`, an earlier edit of the same field that was never sent
// is replaced (keeping its base: the server never saw the one in between).
export async function queue(mutation, { coalesce = null, insp = '' } = {}) {
  const entry = { mutation_id: crypto.randomUUID(), mutation, key: coalesce || '', insp, sent: false, at: Date.now() };
  await db.transaction('rw', db.outbox, async () => {
    if (coalesce) {
      const earlier = (await db.outbox.where('key').equals(coalesce).toArray()).filter((e) => !e.sent);
      const last = earlier[earlier.length - 1];
      if (last) {
        const base = { base_version: last.mutation.base_version, base_value: last.mutation.base_value };
        await db.outbox.update(last.seq, { mutation: { ...mutation, ...base }, mutation_id: crypto.randomUUID(), at: entry.at });
        return;
      }
    }
    await db.outbox.add(entry);
  });
  emit('queued', entry);
  schedule();
}

export const pending = (insp) => db.outbox.where('insp').equals(insp).sortBy('seq');
export const pendingCount = () => db.outbox.count();

// What each push answer means for the device (docs/sync.md, the status table).
async function settle(entry, result) {
  if (result.current && result.entity && result.id) await put(result.entity, result.id, result.current);
  if (result.status === 'conflict' || result.status === 'rejected') {
    const notices = await getMeta('notices', []);
    notices.push({
      at: Date.now(), status: result.status, reason: result.reason || '', device_won: !!result.device_won,
      insp: entry.insp, mutation: entry.mutation, entity: result.entity, id: result.id,
    });
    await setMeta('notices', notices.slice(-200));
  }
  if (result.warnings?.length) await setMeta('warning', result.warnings.map((w) => w.detail).join(' '));
  await db.outbox.delete(entry.seq);
}

const BATCH = 500;
const MAX_BYTES = 1.5 * 1024 * 1024;

// A submission waits for its inspection's photos: the server counts only photos whose bytes
// it has (docs/checklists.md, "Evidence"), so sent before them it would be refused.
async function held() {
  const waiting = await db.photos.where('state').equals('waiting').toArray();
  return new Set(waiting.map((p) => p.insp));
}

async function push() {
  for (;;) {
    const hold = await held();
    const all = (await db.outbox.orderBy('seq').toArray())
      .filter((e) => !(e.mutation.type === 'inspection.transition' && hold.has(e.insp)))
      .slice(0, BATCH);
    if (!all.length) return;
    const batch = [];
    let bytes = 0;
    for (const e of all) {
      const m = { mutation_id: e.mutation_id, ...e.mutation };
      bytes += JSON.stringify(m).length;
      if (batch.length && bytes > MAX_BYTES) break;
      batch.push({ e, m });
    }
    // Marked before sending: from now on an edit of the same field is a new mutation.
    await db.outbox.bulkUpdate(batch.map(({ e }) => ({ key: e.seq, changes: { sent: true } })));
    let res;
    try {
      res = await api('/api/v1/sync/push', { method: 'POST', body: { schema_version: SCHEMA_VERSION, mutations: batch.map((b) => b.m) } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        await dropMalformed(batch, e.problem);
        continue;
      }
      throw e;
    }
    const byId = new Map(batch.map(({ e }) => [e.mutation_id, e]));
    for (const r of res.results) {
      const entry = byId.get(r.mutation_id);
      if (entry) await settle(entry, r);
    }
  }
}

// A 422 names the malformed mutations by pointer: keep them as notices, drop them, resend
// the rest (nothing of the batch was applied).
async function dropMalformed(batch, problem) {
  const bad = new Set();
  for (const err of problem.errors || []) {
    const m = /^\/mutations\/(\d+)/.exec(err.pointer || err.field || '');
    if (m) bad.add(Number(m[1]));
  }
  if (!bad.size) throw new ApiError(422, problem);
  const notices = await getMeta('notices', []);
  for (const i of bad) {
    const { e } = batch[i];
    notices.push({ at: Date.now(), status: 'rejected', reason: 'validation_failed', insp: e.insp, mutation: e.mutation });
    await db.outbox.delete(e.seq);
  }
  await setMeta('notices', notices);
}

async function pull() {
  let cursor = await getMeta('cursor');
  for (;;) {
    const q = new URLSearchParams({ limit: '1000', schema_version: String(SCHEMA_VERSION) });
    if (cursor) q.set('cursor', cursor);
    let page;
    try {
      page = await api(`/api/v1/sync/pull?${q}`);
    } catch (e) {
      // The server has never seen this cursor (restored from a backup): start again.
      if (e instanceof ApiError && e.code === 'cursor_ahead' && cursor) {
        await db.rows.clear();
        cursor = null;
        continue;
      }
      throw e;
    }
    await apply(page.changes);
    cursor = page.next_cursor;
    await setMeta('cursor', cursor);
    await setMeta('hlc', observe(await getMeta('hlc'), page.server_hlc));
    if (!page.has_more) break;
  }
  await setMeta('pulled_at', Date.now());
}

// After a 426 this build's syncs stop (the server no longer speaks its schema: sending again
// would only be refused again) until the app is updated; the outbox and photos stay. The mark
// names the schema refused, so an updated build syncs at once.
export const mustUpdate = async () => (await getMeta('upgrade')) === SCHEMA_VERSION;

let running = null;
let again = false;
// Push, then pull; one run at a time (a call during a run makes one more run after it).
export function sync() {
  if (running) { again = true; return running; }
  running = (async () => {
    try {
      if (await mustUpdate()) return;
      emit('state', { syncing: true });
      do {
        again = false;
        await push();
        await pull();
      } while (again);
      await setMeta('upgrade', false);
      emit('state', { syncing: false, ok: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 426) await setMeta('upgrade', SCHEMA_VERSION);
      emit('state', { syncing: false, ok: false, offline: e instanceof Offline, error: e });
      if (!(e instanceof Offline) && !(e instanceof ApiError)) throw e;
    } finally {
      running = null;
      emit('synced');
    }
  })();
  return running;
}

let timer = null;
// A sync soon after an edit, so a burst of answers goes in one push.
export function schedule(ms = 800) {
  if (!navigator.onLine) return;
  clearTimeout(timer);
  timer = setTimeout(() => { sync(); }, ms);
}

export function start() {
  window.addEventListener('online', () => schedule(0));
  setInterval(() => { if (navigator.onLine) sync(); }, 60000);
}

export { key };
