// What the views read and do: the inspector's work as the store holds it with the outbox's
// pending edits laid over, and the edits themselves, each queued as a sync mutation.
import { db, get, put, all, ofInspection, getMeta } from './store.js';
import { queue, pending, nextHlc, events } from './sync.js';
import { baseText } from './record.js';

export async function rounds() {
  const list = await all('round');
  return list.sort((a, b) => (b.starts_on || '').localeCompare(a.starts_on || ''));
}

// The round's units assigned to the inspector's teams, each with its inspection (if any).
export async function roundUnits(roundId) {
  const rows = await db.rows.where('[entity+round]').equals(['assignment', roundId]).toArray();
  const inspections = (await db.rows.where('[entity+round]').equals(['inspection', roundId]).toArray()).map((r) => r.data);
  const out = [];
  for (const { data: a } of rows) {
    const unit = await get('unit', a.unit_id);
    const insp = inspections.find((i) => i.unit_id === a.unit_id) || null;
    out.push({ assignment: a, unit, inspection: insp ? await inspectionView(insp.id) : null });
  }
  return out.sort((x, y) => (x.unit?.name || '').localeCompare(y.unit?.name || '', 'vi'));
}

// An inspection with its pending edits: fields, status, answers (item id → {value, na,
// version, pending}), comments, photos, recommendations (the server's and those not sent
// yet, marked `pending`) and conflict notes. Evidence with a delete waiting is left out.
export async function inspectionView(id) {
  const base = await get('inspection', id);
  if (!base) return null;
  const insp = { ...base, pending: false };
  const answers = {};
  const recommendations = await ofInspection('recommendation', id);
  const deleting = new Set();
  for (const a of await ofInspection('answer', id)) answers[a.item_id] = { value: a.value, na: a.na, version: a.version };
  for (const e of await pending(id)) {
    const m = e.mutation;
    if (m.type === 'answer.set') answers[m.item_id] = { ...answers[m.item_id], value: m.value, na: m.na, pending: true };
    if (m.type === 'inspection.update') {
      for (const [f, edit] of Object.entries(m.fields)) insp[f] = edit.value;
      insp.pending = true;
    }
    if (m.type === 'inspection.transition' && m.action === 'submit') { insp.status = 'submitted'; insp.pending = true; }
    if (m.type === 'inspection.create') insp.pending = true;
    if (m.type === 'evidence.delete') { deleting.add(m.id); insp.pending = true; }
    if (m.type === 'recommendation.create' && !recommendations.some((r) => r.id === m.id)) {
      const { type, ...fields } = m;
      recommendations.push({ ...fields, follow_up: 'open', mine: true, pending: true, sent: e.sent });
    }
    if (m.type === 'recommendation.update') {
      const r = recommendations.find((x) => x.id === m.id);
      const { type, id: _, inspection_id: __, base_version: ___, ...fields } = m;
      if (r) Object.assign(r, fields, { pending: true, edited: true });
    }
  }
  const photos = (await db.photos.where('insp').equals(id).toArray()).sort((x, y) => x.added_at - y.added_at);
  const evidence = (await ofInspection('evidence', id)).filter((ev) => !deleting.has(ev.id));
  const comments = await ofInspection('comment', id);
  const conflicts = await ofInspection('conflict', id);
  const notices = (await getMeta('notices', [])).filter((n) => n.insp === id);
  return { ...insp, answers, photos, evidence, comments, conflicts, notices, recommendations };
}

export const template = (versionId) => get('template_version', versionId);

export async function createInspection(roundId, unitId) {
  const round = await get('round', roundId);
  const assignment = (await db.rows.where('[entity+round]').equals(['assignment', roundId]).toArray())
    .map((r) => r.data).find((a) => a.unit_id === unitId);
  const id = crypto.randomUUID();
  // A local row until the server answers with its own.
  await put('inspection', id, {
    id, round_id: roundId, unit_id: unitId, team_id: assignment?.team_id || '',
    template_version_id: round?.template_version_id, status: 'draft', version: 0, local: true,
  });
  await queue({ type: 'inspection.create', id, round_id: roundId, unit_id: unitId }, { insp: id });
  return id;
}

export async function setAnswer(inspId, itemId, value, na = false) {
  const server = await get('answer', `${inspId}/${itemId}`);
  await queue({
    type: 'answer.set', inspection_id: inspId, item_id: itemId,
    value: value === undefined ? null : value, na,
    base_version: server?.version || 0,
    base_value: server ? server.value ?? null : null,
    hlc: await nextHlc(),
  }, { coalesce: `answer|${inspId}/${itemId}`, insp: inspId });
}

// One of the inspection's own fields (findings or biên bản record), checked by the caller.
// `base_value` is the server's value in its stored text form (the people as JSON text).
export async function setField(inspId, field, value) {
  const server = await get('inspection', inspId);
  await queue({
    type: 'inspection.update', id: inspId, base_version: server?.version || 0,
    fields: { [field]: { value: value === '' ? null : value, hlc: await nextHlc(), base_value: baseText(field, server?.[field]) } },
  }, { coalesce: `field|${inspId}/${field}`, insp: inspId });
}

// A recommendation (kiến nghị), checked by the caller (recommendation.js). Once sent it can be
// changed (editRecommendation), not deleted: the server keeps every recommendation made.
export async function addRecommendation(inspId, fields) {
  const id = crypto.randomUUID();
  await queue({ type: 'recommendation.create', id, inspection_id: inspId, ...fields }, { insp: inspId });
  return id;
}

// Takes back a recommendation not sent yet (nothing reached the server); false once sent.
export async function dropRecommendation(inspId, id) {
  return db.transaction('rw', db.outbox, async () => {
    const entry = (await db.outbox.where('insp').equals(inspId).toArray())
      .find((e) => e.mutation.type === 'recommendation.create' && e.mutation.id === id && !e.sent);
    if (entry) await db.outbox.delete(entry.seq);
    return !!entry;
  }).then((dropped) => { events.dispatchEvent(new CustomEvent('queued')); return dropped; });
}

// Changes a recommendation, checked by the caller. One not sent yet: its queued create takes
// the new fields (nothing reached the server). Otherwise a `recommendation.update` from the
// version last pulled; a second change before it is sent replaces the first, keeping its
// base, so a change made meanwhile on the web is still noticed. Fields left empty stay as
// they are on the server (it has no "clear"); the follow-up is not set from the phone.
export async function editRecommendation(inspId, id, fields) {
  const own = Object.fromEntries(Object.entries(fields).filter(([k, v]) => k !== 'follow_up' && v !== null && v !== ''));
  const create = await db.transaction('rw', db.outbox, async () => {
    const entry = (await db.outbox.where('insp').equals(inspId).toArray())
      .find((e) => e.mutation.type === 'recommendation.create' && e.mutation.id === id);
    if (entry && !entry.sent) await db.outbox.update(entry.seq, { mutation: { ...entry.mutation, ...fields } });
    return entry || null;
  });
  if (create && !create.sent) {
    events.dispatchEvent(new CustomEvent('queued'));
    return;
  }
  // A create sent but not yet answered makes version 1 when it lands (it is resent first).
  const server = await get('recommendation', id);
  const base = server?.version ?? (create ? 1 : 0);
  await queue({ type: 'recommendation.update', id, inspection_id: inspId, base_version: base, ...own },
    { coalesce: `recommendation|${id}`, insp: inspId });
}

export const submit = (inspId) => queue({ type: 'inspection.transition', id: inspId, action: 'submit', reason: null }, { insp: inspId });

export async function addComment(inspId, itemId, body) {
  const id = crypto.randomUUID();
  const session = await getMeta('session');
  await put('comment', id, {
    id, inspection_id: inspId, item_id: itemId, body, author_id: session?.user?.id,
    created_at: new Date().toISOString(), local: true,
  });
  await queue({ type: 'comment.create', id, inspection_id: inspId, item_id: itemId, body }, { insp: inspId });
}
