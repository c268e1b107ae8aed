// A device running the real WatermelonDB synchronize() (LokiJS adapter, in memory) against a
// kiemtra server, as docs/sync.md describes it. Shared by the watermelon_*.mjs clients.
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { Database, Model, appSchema, tableSchema } = require('@nozbe/watermelondb');
const LokiJSAdapter = require('@nozbe/watermelondb/adapters/lokijs').default;
const { synchronize } = require('@nozbe/watermelondb/sync');

export const BASE = process.env.KT_BASE;

const col = (name, type = 'string') => ({ name, type, isOptional: true });
// `updated_at` (epoch ms; WatermelonDB wants it a non-optional number) on answers and
// inspections: when the device edited, which the server
// uses as the edit's time. An app whose models declare `@date('updated_at') updatedAt` has
// WatermelonDB keep it; these bare models set it by hand where a test needs it.
const schema = appSchema({
  version: 1,
  tables: [
    tableSchema({ name: 'units', columns: ['code', 'name', 'kind', 'parent_id', 'address'].map((c) => col(c)).concat([col('latitude', 'number'), col('longitude', 'number'), col('version', 'number')]) }),
    tableSchema({ name: 'teams', columns: [col('name'), col('lead_id'), col('version', 'number')] }),
    tableSchema({ name: 'template_versions', columns: [col('template_id'), col('number', 'number'), col('content_hash'), col('content')] }),
    tableSchema({ name: 'rounds', columns: ['name', 'kind', 'template_version_id', 'starts_on', 'ends_on', 'due_on', 'status'].map((c) => col(c)).concat([col('version', 'number')]) }),
    tableSchema({ name: 'assignments', columns: [col('round_id'), col('unit_id'), col('team_id'), col('version', 'number')] }),
    tableSchema({
      name: 'inspections',
      columns: ['round_id', 'unit_id', 'team_id', 'template_version_id', 'status', 'band', 'strengths', 'shortcomings', 'causes', 'return_reason']
        .map((c) => col(c))
        .concat([col('score', 'number'), col('version', 'number'), { name: 'updated_at', type: 'number' }]),
    }),
    tableSchema({ name: 'answers', columns: [col('inspection_id'), col('item_id'), col('value'), col('na', 'boolean'), col('version', 'number'), { name: 'updated_at', type: 'number' }] }),
    tableSchema({ name: 'recommendations', columns: ['inspection_id', 'content', 'responsible_unit_id', 'responsible', 'due_on', 'follow_up'].map((c) => col(c)).concat([col('version', 'number')]) }),
    tableSchema({ name: 'comments', columns: [col('inspection_id'), col('item_id'), col('author_id'), col('body')] }),
    // Read on the device (docs/sync.md): the user's own notifications (a read mark is the one
    // change the server takes), remedies, earlier recommendations, self-assessments.
    // `created_at` is WatermelonDB's own column: a non-optional number (epoch ms).
    tableSchema({ name: 'notifications', columns: ['user_id', 'kind', 'title', 'body', 'link', 'round_id', 'unit_id', 'read_at', 'emailed_at'].map((c) => col(c)).concat([{ name: 'created_at', type: 'number' }]) }),
    tableSchema({ name: 'remedies', columns: ['recommendation_id', 'inspection_id', 'note', 'follow_up', 'created_by', 'device_id'].map((c) => col(c)).concat([{ name: 'created_at', type: 'number' }]) }),
    tableSchema({
      name: 'earlier_recommendations',
      columns: ['recommendation_id', 'assignment_id', 'for_round_id', 'inspection_id', 'round_id', 'round_name', 'unit_id', 'unit_code', 'unit_name', 'content', 'responsible_unit_id', 'responsible', 'due_on', 'follow_up', 'status', 'status_vi', 'latest_remedy']
        .map((c) => col(c))
        .concat([col('version', 'number')]),
    }),
    tableSchema({
      name: 'self_assessments',
      columns: ['round_id', 'unit_id', 'template_version_id', 'status', 'band', 'submitted_at', 'answers'].map((c) => col(c)).concat([col('score', 'number'), col('version', 'number')]),
    }),
  ],
});
export const TABLES = ['units', 'teams', 'template_versions', 'rounds', 'assignments', 'inspections', 'answers', 'recommendations', 'comments'];
export const FOLLOWUP_TABLES = ['notifications', 'remedies', 'earlier_recommendations', 'self_assessments'];
const models = TABLES.concat(FOLLOWUP_TABLES).map((t) => {
  const M = class extends Model {};
  M.table = t;
  return M;
});

export function device(name) {
  const adapter = new LokiJSAdapter({ schema, useWebWorker: false, useIncrementalIndexedDB: false, dbName: name });
  return new Database({ adapter, modelClasses: models });
}

export const headers = (token) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Kiemtra-Schema-Version': '1' });

// A REST call of the server's own API (`path` after /api/v1), as another user would make it.
export async function api(token, method, path, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, { method, headers: headers(token), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

// One synchronize(). `hooks.onPull(changes)` sees every pulled change set; `hooks.push` may
// replace how the push body is sent (it gets the request and must return a Response).
export async function sync(db, token, hooks = {}) {
  await synchronize({
    database: db,
    sendCreatedAsUpdated: true,
    pullChanges: async ({ lastPulledAt }) => {
      const res = await fetch(`${BASE}/api/v1/sync/watermelon?last_pulled_at=${lastPulledAt ?? ''}`, { headers: headers(token) });
      if (!res.ok) throw new Error(`pull ${res.status}: ${await res.text()}`);
      const { changes, timestamp } = await res.json();
      if (hooks.onPull) hooks.onPull(changes);
      return { changes, timestamp };
    },
    pushChanges: async ({ changes, lastPulledAt }) => {
      const url = `${BASE}/api/v1/sync/watermelon?last_pulled_at=${lastPulledAt}`;
      const init = { method: 'POST', headers: headers(token), body: JSON.stringify({ changes }) };
      const res = hooks.push ? await hooks.push(url, init, lastPulledAt) : await fetch(url, init);
      if (!res.ok) {
        const err = new Error(`push ${res.status}: ${await res.text()}`);
        err.status = res.status;
        throw err;
      }
    },
  });
}

// What an app does: sync, and when the server says "pull first" (409), sync again.
export async function syncUntilDone(db, token, hooks) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await sync(db, token, hooks);
      return attempt;
    } catch (e) {
      if (e.status !== 409) throw e;
    }
  }
  throw new Error('did not converge in 5 attempts');
}

export async function answers(db, inspectionId) {
  const rows = await db.get('answers').query().fetch();
  const out = {};
  for (const r of rows.filter((r) => r._raw.inspection_id === inspectionId)) out[r._raw.item_id] = { value: r._raw.value, na: r._raw.na };
  return out;
}

export async function inspection(db, id) {
  const r = await db.get('inspections').find(id);
  return { strengths: r._raw.strengths, causes: r._raw.causes, status: r._raw.status };
}

// Sets an answer's value (JSON text) on the device, offline; `editedAt` also sets `updated_at`.
export async function setAnswer(db, inspectionId, item, value, editedAt) {
  await db.write(async () => {
    const answer = await db.get('answers').find(`${inspectionId}/${item}`);
    await answer.update((r) => {
      r._setRaw('value', JSON.stringify(value));
      if (editedAt !== undefined) r._setRaw('updated_at', editedAt);
    });
  });
}

export async function count(db, table) {
  return (await db.get(table).query().fetch()).length;
}

// Runs `main` and prints its result as one JSON line (what the Rust test reads).
export function run(main) {
  main().then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + '\n');
      process.exit(0);
    },
    (e) => {
      process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
      process.exit(1);
    },
  );
}
