// Two devices running the real WatermelonDB synchronize() (LokiJS adapter, in memory) against
// a kiemtra server: both edit one inspection offline, both sync, both converge.
// Driven by tests/api/watermelon.rs; prints one JSON line with what each device ends up with.
import { answers as answersOf, device, inspection as inspectionOf, run, syncUntilDone } from './watermelon_device.mjs';

const INSPECTION = process.env.KT_INSPECTION;
const answers = (db) => answersOf(db, INSPECTION);
const inspection = (db) => inspectionOf(db, INSPECTION);

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

  return {
    pulled,
    attempts: { a: attemptsA, b: attemptsB },
    a: { answers: await answers(a), inspection: await inspection(a) },
    b: { answers: await answers(b), inspection: await inspection(b) },
  };
}

run(main);
