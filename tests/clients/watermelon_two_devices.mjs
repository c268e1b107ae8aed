// Two devices running the real WatermelonDB synchronize() (LokiJS adapter, in memory) against
// a kiemtra server: both edit one inspection offline, both sync, both converge.
// Driven by tests/api/watermelon.rs; prints one JSON line with what each device ends up with.
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { Database, Model, appSchema, tableSchema } = require('@nozbe/watermelondb');
const LokiJSAdapter = require('@nozbe/watermelondb/adapters/lokijs').default;
const { synchronize } = require('@nozbe/watermelondb/sync');

const BASE = process.env.KT_BASE;
const INSPECTION = process.env.KT_INSPECTION;

const col = (name, type = 'string') => ({ name, type, isOptional: true });
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
      columns: ['round_id', 'unit_id', 'team_id', 'template_version_id', 'status', 'band', 'strengths', 'shortcomings', 'causes', 'return_reason'].map((c) => col(c)).concat([col('score', 'number'), col('version', 'number')]),
    }),
    tableSchema({ name: 'answers', columns: [col('inspection_id'), col('item_id'), col('value'), col('na', 'boolean'), col('version', 'number')] }),
    tableSchema({ name: 'recommendations', columns: ['inspection_id', 'content', 'responsible_unit_id', 'responsible', 'due_on', 'follow_up'].map((c) => col(c)).concat([col('version', 'number')]) }),
    tableSchema({ name: 'comments', columns: [col('inspection_id'), col('item_id'), col('author_id'), col('body')] }),
  ],
});
const models = ['units', 'teams', 'template_versions', 'rounds', 'assignments', 'inspections', 'answers', 'recommendations', 'comments'].map((t) => {
  const M = class extends Model {};
  M.table = t;
  return M;
});

function device(name) {
  const adapter = new LokiJSAdapter({ schema, useWebWorker: false, useIncrementalIndexedDB: false, dbName: name });
  return new Database({ adapter, modelClasses: models });
}

async function sync(db, token) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Kiemtra-Schema-Version': '1' };
  await synchronize({
    database: db,
    sendCreatedAsUpdated: true,
    pullChanges: async ({ lastPulledAt }) => {
      const res = await fetch(`${BASE}/api/v1/sync/watermelon?last_pulled_at=${lastPulledAt ?? ''}`, { headers });
      if (!res.ok) throw new Error(`pull ${res.status}: ${await res.text()}`);
      const { changes, timestamp } = await res.json();
      return { changes, timestamp };
    },
    pushChanges: async ({ changes, lastPulledAt }) => {
      const res = await fetch(`${BASE}/api/v1/sync/watermelon?last_pulled_at=${lastPulledAt}`, { method: 'POST', headers, body: JSON.stringify({ changes }) });
      if (!res.ok) {
        const err = new Error(`push ${res.status}: ${await res.text()}`);
        err.status = res.status;
        throw err;
      }
    },
  });
}

// What an app does: sync, and when the server says "pull first" (409), sync again.
async function syncUntilDone(db, token) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await sync(db, token);
      return attempt;
    } catch (e) {
      if (e.status !== 409) throw e;
    }
  }
  throw new Error('did not converge in 5 attempts');
}

async function answers(db) {
  const rows = await db.get('answers').query().fetch();
  const out = {};
  for (const r of rows.filter((r) => r._raw.inspection_id === INSPECTION)) out[r._raw.item_id] = { value: r._raw.value, na: r._raw.na };
  return out;
}

async function inspection(db) {
  const r = await db.get('inspections').find(INSPECTION);
  return { strengths: r._raw.strengths, causes: r._raw.causes, status: r._raw.status };
}

async function main() {
  const a = device('phone');
  const b = device('tablet');
  await syncUntilDone(a, process.env.KT_TOKEN_A);
  await syncUntilDone(b, process.env.KT_TOKEN_B);
  const pulled = { units: (await a.get('units').query().fetch()).length, answers: await answers(a) };

  // Offline on both: the same answer edited differently, and different fields elsewhere.
  const answerB = `${INSPECTION}/b`;
  await a.write(async () => {
    await (await a.get('answers').find(answerB)).update((r) => r._setRaw('value', JSON.stringify('full')));
    await a.get('answers').create((r) => {
      r._raw.id = `${INSPECTION}/d`;
      r._setRaw('inspection_id', INSPECTION);
      r._setRaw('item_id', 'd');
      r._setRaw('value', '4');
      r._setRaw('na', false);
      r._setRaw('version', 0);
    });
  });
  await b.write(async () => {
    await (await b.get('answers').find(answerB)).update((r) => r._setRaw('value', JSON.stringify('none')));
    await (await b.get('inspections').find(INSPECTION)).update((r) => r._setRaw('strengths', 'Tiếp công dân nghiêm túc'));
  });

  const attemptsA = await syncUntilDone(a, process.env.KT_TOKEN_A);
  const attemptsB = await syncUntilDone(b, process.env.KT_TOKEN_B);
  await syncUntilDone(a, process.env.KT_TOKEN_A);

  const result = {
    pulled,
    attempts: { a: attemptsA, b: attemptsB },
    a: { answers: await answers(a), inspection: await inspection(a) },
    b: { answers: await answers(b), inspection: await inspection(b) },
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  },
);
