// The local store: IndexedDB through Dexie. One table of synced rows (every entity of the
// pull, keyed "<entity>|<id>", indexed by what a tombstone cascades through), the outbox of
// mutations waiting for the network, the photos' bytes, and a small key/value table (the
// session, the cursor, the clock). Nothing here talks to the network.
import Dexie from 'dexie';

export const db = new Dexie('kiemtra-thuc-dia');
db.version(1).stores({
  rows: 'k, entity, insp, round, team, [entity+insp], [entity+round]',
  outbox: '++seq, mutation_id, key, insp',
  photos: 'id, insp, state',
  meta: 'key',
});

export const key = (entity, id) => `${entity}|${id}`;

export async function getMeta(k, fallback = null) {
  const r = await db.meta.get(k);
  return r ? r.value : fallback;
}
export const setMeta = (k, value) => db.meta.put({ key: k, value });

function indexed(entity, id, data) {
  return {
    k: key(entity, id), entity, id, data,
    insp: entity === 'inspection' ? id : data.inspection_id || '',
    round: data.round_id || (entity === 'round' ? id : ''),
    team: data.team_id || (entity === 'team' ? id : ''),
  };
}

export const put = (entity, id, data) => db.rows.put(indexed(entity, id, data));
export async function get(entity, id) {
  const r = await db.rows.get(key(entity, id));
  return r ? r.data : null;
}
export async function all(entity) {
  return (await db.rows.where('entity').equals(entity).toArray()).map((r) => r.data);
}
export async function ofInspection(entity, inspectionId) {
  return (await db.rows.where('[entity+insp]').equals([entity, inspectionId]).toArray()).map((r) => r.data);
}

// What a tombstone takes with it (docs/sync.md, "Pull"): an inspection its rows; a round or
// a team its assignments and inspections, and theirs.
async function cascade(entity, id) {
  let inspections = [];
  if (entity === 'inspection') inspections = [id];
  if (entity === 'round' || entity === 'team') {
    const field = entity === 'round' ? 'round' : 'team';
    const owned = await db.rows.where(field).equals(id).toArray();
    inspections = owned.filter((r) => r.entity === 'inspection').map((r) => r.id);
    await db.rows.bulkDelete(owned.map((r) => r.k));
  }
  for (const insp of inspections) {
    await db.rows.where('insp').equals(insp).delete();
  }
}

// Applies one page of pull changes in order, in one transaction.
export async function apply(changes) {
  await db.transaction('rw', db.rows, async () => {
    for (const c of changes) {
      if (c.deleted) {
        await db.rows.delete(key(c.entity, c.id));
        await cascade(c.entity, c.id);
      } else {
        await db.rows.put(indexed(c.entity, c.id, c.data));
      }
    }
  });
}

// Forgets everything of the signed-in person (after sign-out, or a new person signs in).
// The device's id stays: it names this install to the server across sign-ins.
export async function wipe() {
  await db.transaction('rw', db.rows, db.outbox, db.photos, db.meta, async () => {
    const device = await db.meta.get('device');
    await Promise.all([db.rows.clear(), db.outbox.clear(), db.photos.clear(), db.meta.clear()]);
    if (device) await db.meta.put(device);
  });
}
