// Phones running the real WatermelonDB synchronize() with the follow-up tables (notifications,
// remedies, earlier recommendations, the unit's self-assessment): an inspector's (team 1), the
// other inspector's (team 2) and team 1's lead. Driven by tests/api/watermelon_followup.rs;
// prints one JSON line.
//
// 1. The three phones sync from scratch (what each holds is reported).
// 2. The inspector's phone marks its notification read and syncs; the same push sent twice
//    more changes nothing. Then raw pushes an attacker or a buggy app would send, each
//    answered with a problem and applying nothing: another person's notification, a made-up
//    one, a changed self-assessment and earlier recommendation, a remedy by an inspector
//    (with a read mark beside it), a remedy for another team's unit.
// 3. The lead's phone adds a remedy (khắc phục) and syncs; the push sent again changes
//    nothing; one written before the server's latest change is 409 sync_stale.
// 4. The lead marks one earlier recommendation done, the administrator moves the unit to the
//    other team, then takes it out of the round: each phone is told which rows to delete.
import { api, BASE, device, headers, run, syncUntilDone, FOLLOWUP_TABLES } from './watermelon_device.mjs';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`missing ${k}`);
  return v;
};
const PHONE = env('KT_TOKEN_A');
const OTHER = env('KT_TOKEN_B');
const LEAD = env('KT_TOKEN_LEAD');
const ADMIN = env('KT_TOKEN_ADMIN');
const OTHERS_NOTIFICATION = env('KT_OTHERS_NOTIFICATION');
const REC_OPEN = env('KT_REC_OPEN');
const REC_DONE = env('KT_REC_DONE');
const ROUND2 = env('KT_ROUND2');
const UNIT = env('KT_UNIT');
const TEAM2 = env('KT_TEAM2');

// Every pull answer, by phone.
const pulls = { phone: [], other: [], lead: [] };
const hooks = (who) => ({ onPull: (changes) => pulls[who].push(changes) });

// One sync of a phone; returns what its pulls told it to delete, by table.
async function syncNoting(db, token, who) {
  const deleted = {};
  const onPull = (changes) => {
    pulls[who].push(changes);
    for (const [t, c] of Object.entries(changes)) for (const id of c.deleted || []) (deleted[t] ||= []).push(id);
  };
  await syncUntilDone(db, token, { onPull });
  for (const ids of Object.values(deleted)) ids.sort();
  return deleted;
}

async function holding(db) {
  const out = {};
  for (const t of FOLLOWUP_TABLES) out[t] = (await db.get(t).query().fetch()).map((r) => ({ ...r._raw }));
  return out;
}

// The server's position now, as a pull tells it.
async function now(token) {
  const res = await fetch(`${BASE}/api/v1/sync/watermelon?last_pulled_at=`, { headers: headers(token) });
  return (await res.json()).timestamp;
}

// A push as an app (or an attacker) sends it: status, content type and body.
async function push(token, lastPulledAt, changes) {
  const url = `${BASE}/api/v1/sync/watermelon?last_pulled_at=${lastPulledAt}`;
  const res = await fetch(url, { method: 'POST', headers: headers(token), body: JSON.stringify({ changes }) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

const updated = (table, rec) => ({ [table]: { created: [], updated: [rec], deleted: [] } });

async function attacks(first) {
  const at = await now(PHONE);
  const sa = first.self_assessments[0];
  const earlier = first.earlier_recommendations.find((r) => r.recommendation_id === REC_OPEN);
  const remedy = { id: crypto.randomUUID(), recommendation_id: REC_OPEN, note: 'Tự ghi trên máy', follow_up: 'done' };
  const read = { read_at: Date.now() };
  return {
    stolen: await push(PHONE, at, updated('notifications', { id: OTHERS_NOTIFICATION, title: 'Giả mạo', ...read })),
    madeUp: await push(PHONE, at, updated('notifications', { id: crypto.randomUUID(), title: 'Giả mạo', ...read })),
    selfAssessment: await push(PHONE, at, updated('self_assessments', { ...sa, score: 0, status: 'draft' })),
    earlier: await push(PHONE, at, updated('earlier_recommendations', { ...earlier, follow_up: 'done' })),
    deleteRemedy: await push(PHONE, at, { remedies: { created: [], updated: [], deleted: [first.remedies[0].id] } }),
    inspectorRemedy: await push(PHONE, at, updated('remedies', remedy)),
    othersRemedy: await push(OTHER, await now(OTHER), updated('remedies', remedy)),
  };
}

async function main() {
  const phone = device('phone');
  const other = device('other');
  const lead = device('lead');
  await syncUntilDone(phone, PHONE, hooks('phone'));
  await syncUntilDone(other, OTHER, hooks('other'));
  await syncUntilDone(lead, LEAD, hooks('lead'));
  const first = await holding(phone);
  const otherFirst = await holding(other);

  // 2. A read mark beside a remedy the inspector may not add: refused whole (the read mark
  //    is applied first, then undone). Then the read mark alone, through synchronize(); the
  //    same push again, twice; then the refusals.
  const mine = first.notifications[0];
  const forbidden = { id: crypto.randomUUID(), recommendation_id: REC_OPEN, note: 'Thanh tra ghi', follow_up: 'done' };
  const mixed = await push(PHONE, await now(PHONE), {
    ...updated('notifications', { ...mine, read_at: Date.now() }),
    ...updated('remedies', forbidden),
  });
  const afterMixed = await api(PHONE, 'GET', '/notifications');
  await phone.write(async () => (await phone.get('notifications').find(mine.id)).update((n) => n._setRaw('read_at', new Date().toISOString())));
  const atRead = await now(PHONE);
  let sent = null;
  await syncUntilDone(phone, PHONE, { ...hooks('phone'), push: (url, init) => ((sent = init.body), fetch(url, init)) });
  const again = [];
  for (let i = 0; i < 2; i++) again.push(await push(PHONE, atRead, JSON.parse(sent).changes));
  const refused = await attacks(first);
  await syncUntilDone(phone, PHONE, hooks('phone'));
  const afterRead = await holding(phone);

  // 3. The lead's remedy, from the phone.
  const leadRemedy = crypto.randomUUID();
  const beforeRemedy = await now(LEAD);
  await lead.write(() =>
    lead.get('remedies').create((r) => {
      r._raw.id = leadRemedy;
      r._setRaw('recommendation_id', REC_OPEN);
      r._setRaw('note', 'Đã kiện toàn tổ dân vận, có quyết định kèm theo');
      r._setRaw('follow_up', 'in_progress');
    }),
  );
  let leadSent = null;
  const leadAttempts = await syncUntilDone(lead, LEAD, { ...hooks('lead'), push: (url, init) => ((leadSent = init.body), fetch(url, init)) });
  const leadAgain = await push(LEAD, beforeRemedy, JSON.parse(leadSent).changes);
  const staleRemedy = { id: crypto.randomUUID(), recommendation_id: REC_OPEN, note: 'Ghi khi chưa tải về', follow_up: 'in_progress' };
  const leadStale = await push(LEAD, beforeRemedy, updated('remedies', staleRemedy));
  const leadHolding = await holding(lead);
  const recommendation = await api(LEAD, 'GET', `/recommendations/${REC_OPEN}`);

  // 4. Scope changes.
  await api(LEAD, 'POST', `/recommendations/${REC_DONE}/remedies`, { note: 'Đã hoàn thành', follow_up: 'done' });
  const deletedBy = { done: await syncNoting(phone, PHONE, 'phone') };
  const afterDone = await holding(phone);
  await api(ADMIN, 'PUT', `/rounds/${ROUND2}/assignments`, { assignments: [{ unit_id: UNIT, team_id: TEAM2 }] });
  deletedBy.moved = await syncNoting(phone, PHONE, 'phone');
  await syncUntilDone(other, OTHER, hooks('other'));
  const moved = await holding(phone);
  const otherMoved = await holding(other);
  await api(ADMIN, 'DELETE', `/rounds/${ROUND2}/assignments/${UNIT}`);
  deletedBy.unassigned = await syncNoting(other, OTHER, 'other');
  const otherUnassigned = await holding(other);
  return {
    first,
    otherFirst,
    read: mine.id,
    mixed,
    afterMixed,
    again,
    refused,
    afterRead,
    mineOnServer: await api(PHONE, 'GET', '/notifications'),
    othersOnServer: await api(OTHER, 'GET', '/notifications'),
    leadRemedy,
    leadAttempts,
    leadAgain,
    leadStale,
    leadHolding,
    recommendation,
    afterDone,
    moved,
    otherMoved,
    otherUnassigned,
    deletedBy,
    pulls,
  };
}

run(main);
