// Photos: kept in IndexedDB the moment they are taken (camera or gallery), their evidence
// record queued as an `evidence.create` mutation, and their bytes sent over tus
// (docs/evidence.md) with tus-js-client once that record has reached the server. The upload
// address is stored with the photo as soon as the server makes it, so after a reload, or a
// network lost halfway, the upload carries on from the server's offset instead of starting
// again. A photo deleted on the phone stops its upload; its record is deleted on the server
// only if its `evidence.create` was ever sent.
import { Upload } from 'tus-js-client';
import { db, key } from './store.js';
import { queue, events } from './sync.js';
import { accessToken } from './api.js';

export async function addPhoto(inspId, itemId, file) {
  const id = crypto.randomUUID();
  await db.photos.put({
    id, insp: inspId, item: itemId, blob: file, name: file.name || `${id}.jpg`, type: file.type || 'image/jpeg',
    size: file.size, state: 'waiting', offset: 0, upload_url: null, added_at: Date.now(),
  });
  await queue({
    type: 'evidence.create', id, inspection_id: inspId, item_id: itemId, caption: null,
    taken_at: new Date(file.lastModified || Date.now()).toISOString(), latitude: null, longitude: null,
  }, { insp: inspId });
  return id;
}

const active = new Map();
const stops = new Map();

function progress(photo, sent) {
  events.dispatchEvent(new CustomEvent('upload', { detail: { id: photo.id, insp: photo.insp, sent, total: photo.size } }));
}

// `stops`: photo id → a function that stops its upload now (for a photo being deleted).
function uploadOne(photo, token, stops) {
  return new Promise((resolve) => {
    stops.set(photo.id, async () => { await up.abort(false).catch(() => {}); resolve(false); });
    const up = new Upload(photo.blob, {
      endpoint: `${location.origin}/api/v1/uploads`,
      uploadUrl: photo.upload_url || undefined,
      chunkSize: 256 * 1024,
      retryDelays: [0, 1000, 3000],
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      metadata: { evidence_id: photo.id, filename: photo.name, filetype: photo.type },
      // The token is set here only, fresh for each request (an upload can outlast one);
      // set in `headers` too, XHR would send both joined by a comma.
      async onBeforeRequest(req) {
        req.setHeader('Authorization', `Bearer ${(await accessToken()) || token}`);
      },
      onUploadUrlAvailable() {
        db.photos.update(photo.id, { upload_url: up.url });
      },
      onProgress(sent) {
        progress(photo, sent);
      },
      onChunkComplete(_size, accepted) {
        db.photos.update(photo.id, { offset: accepted });
      },
      onSuccess() {
        db.photos.update(photo.id, { state: 'done', offset: photo.size }).then(() => { progress(photo, photo.size); resolve(true); });
      },
      onError(err) {
        db.photos.update(photo.id, { error: String(err?.message || err).slice(0, 200) }).then(() => resolve(false));
      },
    });
    up.start();
  });
}

// Sends every photo whose record the server has; one at a time (a weak network shared by
// several photos helps none of them). Answers how many were completed.
export async function uploadAll() {
  let done = 0;
  const waiting = await db.photos.where('state').equals('waiting').toArray();
  const unsent = new Set((await db.outbox.toArray()).filter((e) => e.mutation.type === 'evidence.create').map((e) => e.mutation.id));
  for (const listed of waiting) {
    if (unsent.has(listed.id) || active.has(listed.id) || !navigator.onLine) continue;
    const token = await accessToken().catch(() => null);
    if (!token) return done;
    // Deleted meanwhile (the list was read before the earlier uploads ran)?
    const photo = await db.photos.get(listed.id);
    if (!photo || photo.state !== 'waiting') continue;
    const run = uploadOne(photo, token, stops);
    active.set(photo.id, run);
    try { if (await run) done += 1; } finally { active.delete(photo.id); stops.delete(photo.id); }
  }
  return done;
}

// Deletes a photo (asked first by the view). Its upload stops, and the server's partial
// copy is abandoned (tus termination; the server also expires it). If its `evidence.create`
// never left the phone, both go and nothing is sent; if it was sent (or the record came from
// the server), an `evidence.delete` is queued after it.
export async function deletePhoto(inspId, id) {
  await stops.get(id)?.();
  const photo = await db.photos.get(id);
  const send = await db.transaction('rw', db.outbox, db.photos, db.rows, async () => {
    const creates = (await db.outbox.where('insp').equals(inspId).toArray())
      .filter((e) => e.mutation.type === 'evidence.create' && e.mutation.id === id);
    const onServer = !!(await db.rows.get(key('evidence', id)));
    await db.photos.delete(id);
    const unsent = creates.find((e) => !e.sent);
    if (unsent) { await db.outbox.delete(unsent.seq); return false; }
    return onServer || creates.length > 0;
  });
  if (send) await queue({ type: 'evidence.delete', id, inspection_id: inspId }, { insp: inspId });
  else events.dispatchEvent(new CustomEvent('queued'));
  if (photo?.upload_url && navigator.onLine) {
    const token = await accessToken().catch(() => null);
    if (token) {
      fetch(photo.upload_url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` } }).catch(() => {});
    }
  }
}

// Photos whose bytes have not reached the server yet (unsent work, like the outbox).
export const waitingPhotos = () => db.photos.where('state').equals('waiting').count();

export function photoUrl(photo) {
  return URL.createObjectURL(photo.blob);
}
