// Replicates N answer-shaped documents from a fresh in-memory PouchDB to a pouchdb-server
// database and prints {"docs": N, "ms": …}. Filling the local database is not timed: like a
// phone's own writes, it happens before sync.
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';

PouchDB.plugin(memory);
const [remoteUrl, nRaw] = process.argv.slice(2);
const n = Number(nRaw || 10000);
const local = new PouchDB('bench-local', { adapter: 'memory' });
const docs = [];
for (let i = 0; i < n; i++) {
  docs.push({ _id: `insp-${Math.floor(i / 100)}/item-${i % 100}`, inspection_id: `insp-${Math.floor(i / 100)}`, item_id: `item-${i % 100}`, value: JSON.stringify(i % 2 ? 'yes' : 'no'), na: false });
}
for (let i = 0; i < docs.length; i += 1000) await local.bulkDocs(docs.slice(i, i + 1000));
const remote = new PouchDB(remoteUrl);
const started = performance.now();
const result = await PouchDB.replicate(local, remote, { batch_size: 500 });
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ docs: result.docs_written, ms }) + '\n');
process.exit(0);
