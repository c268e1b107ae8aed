// The offline app's pure rules: the HLC's format and monotonicity, and the checklist's
// conditions and checks as docs/checklists.md and docs/sync.md state them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tick, observe, parse } from '../src/hlc.js';
import { visible, invalid, missing, photosNeeded } from '../src/checklist.js';

test('an HLC has the server\'s exact shape and never goes back', () => {
  const a = tick(null, 1795689118000, 'dev');
  assert.equal(a, '1795689118000:0000:dev');
  assert.equal(tick(a, 1795689117000, 'dev'), '1795689118000:0001:dev', 'a clock set back still moves on');
  assert.equal(tick(a, 1795689119000, 'dev'), '1795689119000:0000:dev');
  assert.equal(tick('1795689118000:9999:dev', 1, 'dev'), '1795689118001:0000:dev');
  const seen = observe(a, '1795689200000:0003:server');
  assert.deepEqual(parse(seen), { ms: 1795689200000, counter: 3, node: 'dev' });
  assert.equal(tick(seen, 1795689118000, 'dev'), '1795689200000:0004:dev', 'after a pull, later than the server');
  assert.equal(observe(seen, '1700000000000:0000:server'), seen);
});

const content = {
  sections: [{ id: 's', items: [
    { id: 'a', type: 'yes_no', label: 'A', required: true },
    { id: 'b', type: 'single_choice', label: 'B', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }], visible_if: { item: 'a', equals: 'no' } },
    { id: 'c', type: 'text', label: 'C', required: true, visible_if: { item: 'b', in: ['y'] } },
    { id: 'n', type: 'number', label: 'N', min: 0, max: 10 },
    { id: 'r', type: 'rating', label: 'R', scale: { min: 1, max: 5 } },
    { id: 'p', type: 'photo', label: 'P', evidence: { min_photos: 2 } },
    { id: 'q', type: 'yes_no', label: 'Q', allow_na: true, evidence: { required_when: ['yes'] } },
  ] }],
};

test('conditions show an item only when the earlier answer matches, and chain', () => {
  assert.deepEqual([...visible(content, {})], ['a', 'n', 'r', 'p', 'q']);
  assert.ok(visible(content, { a: { value: 'no' } }).has('b'));
  assert.ok(!visible(content, { a: { value: 'no' }, b: { value: 'x' } }).has('c'));
  assert.ok(visible(content, { a: { value: 'no' }, b: { value: 'y' } }).has('c'));
  assert.ok(!visible(content, { a: { value: 'yes' }, b: { value: 'y' } }).has('c'), 'hidden b hides c');
  assert.ok(!visible(content, { a: { value: 'no', na: true } }).has('b'));
});

test('values are checked by kind', () => {
  const [a, b, , n, r] = content.sections[0].items;
  assert.equal(invalid(a, 'yes'), null);
  assert.ok(invalid(a, 'maybe'));
  assert.ok(invalid(b, 'z'));
  assert.ok(invalid(n, 11));
  assert.equal(invalid(n, 10), null);
  assert.ok(invalid(r, 2.5));
  assert.equal(invalid(r, 5), null);
  assert.equal(invalid(n, null), null, 'clearing is always allowed');
});

test('what stops a submission: required, photos, findings', () => {
  const items = content.sections[0].items;
  assert.equal(photosNeeded(items[5], undefined), 2);
  assert.equal(photosNeeded(items[6], { value: 'yes' }), 1);
  assert.equal(photosNeeded(items[6], { na: true }), 0);
  const todo = missing(content, { a: { value: 'no' }, b: { value: 'y' }, q: { value: 'yes' } }, { p: 1 }, { strengths: 'ok', shortcomings: '' });
  assert.deepEqual(todo.map((t) => t.item), ['c', 'p', 'q', 'shortcomings']);
  const done = missing(content, { a: { value: 'yes' }, q: { na: true } }, { p: 2 }, { strengths: 's', shortcomings: 'h' });
  assert.deepEqual(done, []);
});
