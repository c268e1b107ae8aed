// The biên bản record's and the recommendations' rules as the server states them
// (api/inspections/record.rs and its tests, api/inspections/service/recommendations.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldAt, heldAtParts, people, placeProblem, baseText, describe, MAX_PEOPLE } from '../src/record.js';
import { checkRecommendation } from '../src/recommendation.js';

test('the time of the meeting is typed in Việt Nam\'s time and sent as RFC 3339', () => {
  assert.deepEqual(heldAt('10/03/2026', '08:30'), { value: '2026-03-10T08:30:00+07:00' });
  assert.deepEqual(heldAt(' 1/3/2026 ', '8h05'), { value: '2026-03-01T08:05:00+07:00' });
  assert.deepEqual(heldAt('01/03/2026', '14'), { value: '2026-03-01T14:00:00+07:00' });
  assert.deepEqual(heldAt('10032026', '0830'), { value: '2026-03-10T08:30:00+07:00' }, 'digits alone, from a number pad');
  assert.deepEqual(heldAt('10.3.2026', '830'), { value: '2026-03-10T08:30:00+07:00' });
  assert.deepEqual(heldAt('', ''), { value: null }, 'both empty clears it');
  assert.equal(heldAt('31/02/2026', '08:00').field, 'date', 'no 31 February');
  assert.equal(heldAt('2026-03-10', '08:00').field, 'date', 'dd/mm/yyyy only');
  assert.equal(heldAt('10/03/2026', '24:00').field, 'time');
  assert.equal(heldAt('10/03/2026', '').field, 'time', 'a date alone waits for its time');
  assert.equal(heldAt('', '08:00').field, 'date');
});

test('a stored time reads back in Việt Nam\'s time, across midnight', () => {
  // The server stores UTC (record.rs: "2026-03-10T08:00:00+07:00" → "2026-03-10T01:00:00Z").
  assert.deepEqual(heldAtParts('2026-03-10T01:00:00Z'), { date: '10/03/2026', time: '08:00' });
  assert.deepEqual(heldAtParts('2026-03-09T18:30:00Z'), { date: '10/03/2026', time: '01:30' });
  assert.deepEqual(heldAtParts('2026-03-10T08:30:00+07:00'), { date: '10/03/2026', time: '08:30' });
  assert.deepEqual(heldAtParts(null), { date: '', time: '' });
  assert.equal(describe('held_at', '2026-03-10T01:00:00Z'), '08:00 ngày 10/03/2026');
});

test('people are checked and normalised as the server stores them', () => {
  const nfd = 'Nghe\u0302\u0323 An';
  const r = people([{ name: ` ${nfd} `, title: 'Trưởng đoàn' }, { name: 'B', title: '  ' }, { name: '', title: '' }]);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.value, [{ name: 'Nghệ An', title: 'Trưởng đoàn' }, { name: 'B' }]);
  // The text serde_json writes for the same list (record.rs's test), so bases compare equal.
  assert.equal(baseText('members', r.value), '[{"name":"Nghệ An","title":"Trưởng đoàn"},{"name":"B"}]');
  assert.deepEqual(people([{ name: '', title: 'x' }]).problems.map((p) => [p.row, p.field]), [[0, 'name']]);
  assert.equal(people([{ name: 'a'.repeat(201) }]).problems[0].field, 'name');
  assert.equal(people([{ name: 'a', title: 'b'.repeat(201) }]).problems[0].field, 'title');
  const many = Array.from({ length: MAX_PEOPLE + 1 }, () => ({ name: 'a' }));
  assert.equal(people(many).problems[0].row, null, 'at most 30');
  assert.deepEqual(people([]), { value: null, problems: [] }, 'no one is no value');
  assert.equal(baseText('members', []), null);
  assert.equal(baseText('place', 'UBND xã'), 'UBND xã');
  assert.equal(describe('attendees', '[{"name":"A","title":"Chủ tịch"},{"name":"B"}]'), 'A (Chủ tịch), B');
});

test('the place is at most 500 characters', () => {
  assert.equal(placeProblem('Hội trường UBND xã'), null);
  assert.equal(placeProblem(` ${'x'.repeat(500)} `), null, 'trimmed first');
  assert.ok(placeProblem('x'.repeat(501)));
});

test('a recommendation needs its content, a known unit and a real date', () => {
  const ok = checkRecommendation({ content: ' Niêm yết  ', responsible_unit_id: 'u1', responsible: ' ', due_on: '2026-06-30' }, ['u1']);
  assert.deepEqual(ok.problems, {});
  assert.deepEqual(ok.fields, { content: 'Niêm yết', responsible_unit_id: 'u1', responsible: null, due_on: '2026-06-30', follow_up: null });
  const bad = checkRecommendation({ content: '  ', responsible_unit_id: 'u9', due_on: '2026-02-30' }, ['u1']);
  assert.deepEqual(Object.keys(bad.problems).sort(), ['content', 'due_on', 'responsible_unit_id']);
  assert.ok(checkRecommendation({ content: 'x'.repeat(10001) }, []).problems.content);
  assert.deepEqual(checkRecommendation({ content: 'x' }, []).fields.responsible_unit_id, null, 'no unit is allowed');
});
