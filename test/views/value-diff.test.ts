import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigChange, Plan } from '../../src/plan/types.js';
import { renderPlanText } from '../../src/views/index.js';
import { toPublicPlan } from '../../src/plan/public-form.js';
import { emptyPlan } from './fixtures.js';

/** The text lines rendered for one update with the given changes (without header and summary). */
function updateLines(...changes: ConfigChange[]): string[] {
  const plan: Plan = { ...emptyPlan(), operations: [{ op: 'update', name: 'c', config: {}, changes, adopt: false }], summary: { ...emptyPlan().summary, update: 1 } };
  const lines = renderPlanText(toPublicPlan(plan), { color: false }).split('\n');
  return lines.slice(3, lines.indexOf('', 3));
}

const changed = (key: string, before: string, after: string): ConfigChange => ({ key, kind: 'changed', before, after, sensitive: false });

test('short values: "old" -> "new", escaped', () => {
  assert.deepEqual(updateLines(changed('a', 'x', 'y'), changed('b', 'tab\there', 'quote"d')), ['      ~ a: "x" -> "y"', '      ~ b: "tab\\there" -> "quote\\"d"']);
});

test('a long single-line value gets a word diff; the marks rebuild both values', () => {
  const before = 'org.example.transforms.Router,org.example.transforms.Mask,org.example.transforms.Flatten';
  const after = 'org.example.transforms.Router,org.example.transforms.Hash,org.example.transforms.Flatten';
  const [line] = updateLines(changed('transforms', before, after));
  assert.equal(line, '      ~ transforms: "org.example.transforms.Router,org.example.transforms.[-Mask-]{+Hash+},org.example.transforms.Flatten"');
  const shown = line!.slice(line!.indexOf('"') + 1, -1);
  assert.equal(shown.replace(/\{\+.*?\+\}/g, '').replace(/\[-(.*?)-\]/g, '$1'), before);
  assert.equal(shown.replace(/\[-.*?-\]/g, '').replace(/\{\+(.*?)\+\}/g, '$1'), after);
});

test('long values with little in common are shown whole, - then +', () => {
  const before = 'a'.repeat(70);
  const after = 'completely different text that is also longer than sixty characters';
  assert.deepEqual(updateLines(changed('k', before, after)), ['      ~ k:', `          - "${before}"`, `          + "${after}"`]);
});

test('multi-line values get a line diff in a heredoc; far unchanged lines are folded', () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
  const after = [...lines];
  after[9] = 'line ten';
  after.push('line 21');
  assert.deepEqual(updateLines(changed('script', lines.join('\n'), after.join('\n'))), [
    '      ~ script: <<-EOT',
    '            # (6 unchanged lines hidden)',
    '            line 7',
    '            line 8',
    '            line 9',
    '          - line 10',
    '          + line ten',
    '            line 11',
    '            line 12',
    '            line 13',
    '            # (4 unchanged lines hidden)',
    '            line 18',
    '            line 19',
    '            line 20',
    '          + line 21',
    '        EOT',
  ]);
});

test('a one-line value becoming multi-line is a line diff; a trailing newline shows as an added empty line', () => {
  assert.deepEqual(updateLines(changed('k', 'first', 'first\nsecond\n')), ['      ~ k: <<-EOT', '            first', '          + second', '          +', '        EOT']);
});

test('multi-line values that a heredoc would misrepresent (\\r, trailing spaces) are word-diffed escaped', () => {
  assert.deepEqual(updateLines(changed('k', 'a\r\nb', 'a\r\nc')), ['      ~ k: "a\\r\\n[-b-]{+c+}"']);
  assert.deepEqual(updateLines(changed('k', 'a \nb', 'a \nc')), ['      ~ k: "a \\n[-b-]{+c+}"']);
});

test('added and removed multi-line values are heredocs; sensitive ones are never diffed', () => {
  assert.deepEqual(updateLines({ key: 'k', kind: 'added', after: 'x\ny', sensitive: false }, { key: 'r', kind: 'removed', before: 'z', sensitive: false }), [
    '      + k: <<-EOT',
    '            x',
    '            y',
    '        EOT',
    '      - r: "z"',
  ]);
  const long = 'p'.repeat(100);
  assert.deepEqual(updateLines({ key: 'sasl.jaas.config', kind: 'changed', before: long, after: `${long}\nq`, sensitive: true }), ['      ~ sasl.jaas.config: (sensitive) -> (sensitive)']);
});

test('create lists config keys sorted with = aligned; multi-line values as heredocs; odd keys quoted', () => {
  const plan: Plan = {
    ...emptyPlan(),
    operations: [{ op: 'create', name: 'c', initialState: 'STOPPED', config: { 'tasks.max': '1', 'a b': 'x', script: 'one\ntwo' } }],
    summary: { ...emptyPlan().summary, create: 1 },
  };
  assert.deepEqual(renderPlanText(toPublicPlan(plan), { color: false }).split('\n').slice(2, 9), [
    '  + create connector "c" (stopped)',
    '      + "a b"     = "x"',
    '      + script    = <<-EOT',
    '            one',
    '            two',
    '        EOT',
    '      + tasks.max = "1"',
  ]);
});
