// One device running the real WatermelonDB synchronize() against a kiemtra server, in the
// situation KT_SCENARIO names, while other users change things through the REST API.
// Driven by tests/api/watermelon.rs; prints one JSON line with what the device ends up with.
//
// - rejected: the device edits an answer of an inspection the lead then approves; its push
//   (sent twice, the first answer lost) is refused; the next sync brings the server's value
//   back.
// - server_won: the device edits an answer, the lead edits it later; the lead's (later) edit
//   wins; the next sync brings it to the device.
// - two_edits: two different edits of one answer pushed at the same `last_pulled_at` are both
//   applied; the second push is sent twice (its first answer "lost"), and the retry changes
//   nothing.
// - round_closed: the round closes; every id the device is told to delete is reported.
import { answers, api, count, device, headers, inspection, run, setAnswer, syncUntilDone, BASE, TABLES } from './watermelon_device.mjs';

const I = process.env.KT_INSPECTION;
const PHONE = process.env.KT_TOKEN_A;
const LEAD = process.env.KT_TOKEN_LEAD;
const ADMIN = process.env.KT_TOKEN_ADMIN;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const serverAnswers = async () => (await api(LEAD, 'GET', `/inspections/${I}`)).answers;

async function rejected() {
  const a = device('phone');
  await syncUntilDone(a, PHONE);
  await setAnswer(a, I, 'b', 'none');
  await api(LEAD, 'POST', `/inspections/${I}/submit`);
  await api(LEAD, 'POST', `/inspections/${I}/approve`);
  // The refused push is sent twice (its first answer lost): the retry is answered alike.
  const statuses = [];
  const push = async (url, init) => {
    statuses.push((await fetch(url, init)).status);
    const res = await fetch(url, init);
    statuses.push(res.status);
    return res;
  };
  const attempts = await syncUntilDone(a, PHONE, { push });
  const afterPush = (await answers(a, I)).b;
  await syncUntilDone(a, PHONE);
  return { attempts, statuses, afterPush, device: await answers(a, I), status: (await inspection(a, I)).status, server: await serverAnswers() };
}

async function serverWon() {
  const a = device('phone');
  await syncUntilDone(a, PHONE);
  await setAnswer(a, I, 'b', 'full', Date.now());
  await sleep(20);
  await api(LEAD, 'PATCH', `/inspections/${I}/answers`, { answers: { b: { value: 'none' } } });
  const attempts = await syncUntilDone(a, PHONE);
  const afterPush = (await answers(a, I)).b;
  await syncUntilDone(a, PHONE);
  return { attempts, afterPush, device: await answers(a, I), server: await serverAnswers() };
}

// The counter position the server is at: a pull's timestamp.
async function position(lastPulledAt) {
  const res = await fetch(`${BASE}/api/v1/sync/watermelon?last_pulled_at=${lastPulledAt}`, { headers: headers(PHONE) });
  return (await res.json()).timestamp;
}

async function twoEdits() {
  const a = device('phone');
  await syncUntilDone(a, PHONE);
  // The lead sets "full"; the phone, not knowing, sets "full" too: its push changes nothing,
  // so the next sync pulls nothing new and pushes at the same `last_pulled_at`.
  await api(LEAD, 'PATCH', `/inspections/${I}/answers`, { answers: { b: { value: 'full' } } });
  await setAnswer(a, I, 'b', 'full');
  const bases = [];
  await syncUntilDone(a, PHONE, { push: (url, init, at) => (bases.push(at), fetch(url, init)) });
  // Then a different edit of the same answer, and a comment, in a push whose first answer is
  // lost: the app sends the same request again.
  await setAnswer(a, I, 'b', 'none');
  const commentId = crypto.randomUUID();
  await a.write(() =>
    a.get('comments').create((r) => {
      r._raw.id = commentId;
      r._setRaw('inspection_id', I);
      r._setRaw('body', 'Đã đối chiếu sổ tiếp dân');
    }),
  );
  const retry = {};
  const push = async (url, init, at) => {
    bases.push(at);
    await fetch(url, init); // answered, but the answer never reaches the app
    retry.before = await position(at);
    const res = await fetch(url, init);
    retry.after = await position(at);
    retry.status = res.status;
    return res;
  };
  await syncUntilDone(a, PHONE, { push });
  await syncUntilDone(a, PHONE);
  return { bases, retry, commentId, device: await answers(a, I), server: await serverAnswers() };
}

async function roundClosed() {
  const a = device('phone');
  await syncUntilDone(a, PHONE);
  const held = {};
  for (const t of TABLES) held[t] = await count(a, t);
  await api(ADMIN, 'PATCH', `/rounds/${process.env.KT_ROUND}`, { status: 'closed' });
  const deleted = {};
  const onPull = (changes) => {
    for (const [table, c] of Object.entries(changes)) deleted[table] = (deleted[table] || []).concat(c.deleted || []);
  };
  await syncUntilDone(a, PHONE, { onPull });
  const left = {};
  for (const t of TABLES) left[t] = await count(a, t);
  return { held, deleted, left };
}

const scenarios = { rejected, server_won: serverWon, two_edits: twoEdits, round_closed: roundClosed };
const scenario = scenarios[process.env.KT_SCENARIO];
if (!scenario) throw new Error(`unknown KT_SCENARIO ${process.env.KT_SCENARIO}`);
run(scenario);
