import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiagnosticCode } from '../../src/diag/codes.js';
import type { SourcePos } from '../../src/diag/diagnostic.js';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanText, stripAnsi } from '../../src/views/index.js';
import { toPublicPlan } from '../../src/plan/public-form.js';
import { summaryPhrase } from '../../src/views/plan-summary.js';
import { emptyPlan, fullPlan } from './fixtures.js';
import { assertGolden } from './golden.js';

const noTrailingSpace = (text: string): void => {
  for (const [i, line] of text.split('\n').entries()) assert.doesNotMatch(line, /\s$/, `line ${i + 1} ends in whitespace: ${JSON.stringify(line)}`);
};

test('text: every operation kind, secrets, long values, drift and diagnostics (golden)', () => {
  const text = renderPlanText(toPublicPlan(fullPlan()), { color: false });
  assertGolden('full.txt', text);
  assert.ok(text.startsWith('pipectl plan for http://localhost:8083 (project shop)\n'));
  // The full fixture has an error: it must not end in a line that reads like a plan ready to apply.
  assert.ok(text.endsWith('\nPlan failed: 1 error (above). Nothing will be applied: apply refuses a plan with errors. Fix it and plan again.\n'));
  assert.doesNotMatch(text, /^Plan: /m);
  const clean = renderPlanText(toPublicPlan({ ...fullPlan(), diagnostics: fullPlan().diagnostics.filter((d) => d.severity !== 'error') }), { color: false });
  assert.ok(clean.endsWith('\nPlan: 1 to create, 2 to update, 1 to delete, 3 state changes, 1 restart, 1 topic to create, 1 topic to update.\n'));
  assert.ok(text.includes('\n      ~ api.token: (sensitive) -> (sensitive)\n'));
  assert.ok(text.includes('\n      + api.token       = (sensitive)\n'));
  assert.ok(!text.includes('${env:'), 'the config to send (with references) is not shown, only the redacted one');
  assert.doesNotMatch(text, /\x1b/);
  noTrailingSpace(text);
});

test('text: an empty plan says there is nothing to do', () => {
  const text = renderPlanText(toPublicPlan(emptyPlan()), { color: false });
  assert.equal(text, 'pipectl plan for http://localhost:8083 (project shop)\n\nNo changes. The live state matches the pipeline files.\n');
  assertGolden('empty.txt', text);
});

test('text: color paints signs and names only, and is the same text underneath', () => {
  const plain = renderPlanText(toPublicPlan(fullPlan()), { color: false });
  const colored = renderPlanText(toPublicPlan(fullPlan()), { color: true });
  assert.notEqual(colored, plain);
  assert.equal(stripAnsi(colored), plain);
  assert.ok(colored.includes('  \x1b[32m+\x1b[0m create connector \x1b[1m"orders-source"\x1b[0m (running)'), 'green +, bold name');
  assert.ok(colored.includes('  \x1b[33m~\x1b[0m update connector \x1b[1m"orders-sink"\x1b[0m'), 'yellow ~');
  assert.ok(colored.includes('  \x1b[31m-\x1b[0m delete connector \x1b[1m"old-source"\x1b[0m (source)'), 'red -');
  for (const sign of ['⏸', '▶', '■', '↻']) assert.ok(colored.includes(`  \x1b[36m${sign}\x1b[0m `), `cyan ${sign}`);
  assert.ok(colored.includes('db-\x1b[31m[-1-]\x1b[0m\x1b[32m{+2+}\x1b[0m.internal'), 'word diff colored');
  assert.ok(colored.includes('\x1b[1;31mError:\x1b[0m') && colored.includes('\x1b[1;33mWarning:\x1b[0m'));
  for (const line of colored.split('\n')) assert.doesNotMatch(stripAnsi(line), /\s$/);
});

test('text: summary counts come from the plan, pluralised, restarts and topics only when not zero', () => {
  const cases: [Plan['summary'], string][] = [
    [{ create: 2, update: 1, delete: 0, stateChange: 1, restart: 0, createTopic: 0, updateTopic: 0 }, '2 to create, 1 to update, 0 to delete, 1 state change'],
    [{ create: 0, update: 0, delete: 3, stateChange: 2, restart: 1, createTopic: 0, updateTopic: 0 }, '0 to create, 0 to update, 3 to delete, 2 state changes, 1 restart'],
    [{ create: 0, update: 0, delete: 0, stateChange: 0, restart: 2, createTopic: 1, updateTopic: 0 }, '0 to create, 0 to update, 0 to delete, 0 state changes, 2 restarts, 1 topic to create'],
    [{ create: 1, update: 0, delete: 0, stateChange: 0, restart: 0, createTopic: 4, updateTopic: 0 }, '1 to create, 0 to update, 0 to delete, 0 state changes, 4 topics to create'],
    [{ create: 0, update: 0, delete: 0, stateChange: 0, restart: 0, createTopic: 1, updateTopic: 2 }, '0 to create, 0 to update, 0 to delete, 0 state changes, 1 topic to create, 2 topics to update'],
  ];
  for (const [summary, phrase] of cases) assert.equal(summaryPhrase(summary), phrase);
  const plan: Plan = { ...emptyPlan(), operations: [{ op: 'pause', name: 'a' }], summary: cases[0]![0] };
  assert.ok(renderPlanText(toPublicPlan(plan), { color: false }).endsWith('\n\nPlan: 2 to create, 1 to update, 0 to delete, 1 state change.\n'));
});

test('text: diagnostics show file:line:column as far as known, and the connector when the message does not name it', () => {
  const plan: Plan = {
    ...emptyPlan(),
    diagnostics: [
      // Made-up codes; positions with parts missing (the type always has all three; the view copes anyway).
      { severity: 'error', code: 'PIPECTL_X' as DiagnosticCode, summary: 'bad value', connector: 'c1', pos: { file: 'p.yaml', line: 3, column: 7 } },
      { severity: 'warning', code: 'PIPECTL_Y' as DiagnosticCode, summary: 'connector "c2" is odd', connector: 'c2', pos: { file: 'p.yaml', line: 9 } as SourcePos },
      { severity: 'warning', code: 'PIPECTL_Z' as DiagnosticCode, summary: 'whole file', pos: { file: 'q.yaml' } as SourcePos },
      { severity: 'error', code: 'PIPECTL_W' as DiagnosticCode, summary: 'nowhere' },
    ],
  };
  const lines = renderPlanText(toPublicPlan(plan), { color: false }).split('\n');
  assert.deepEqual(lines.slice(2, 6), [
    'Error: p.yaml:3:7: connector "c1": bad value [PIPECTL_X]',
    'Warning: p.yaml:9: connector "c2" is odd [PIPECTL_Y]',
    'Warning: q.yaml: whole file [PIPECTL_Z]',
    'Error: nowhere [PIPECTL_W]',
  ]);
});

test('text: prose wraps at the width with a hanging indent; values never wrap', () => {
  const text = renderPlanText(toPublicPlan(fullPlan()), { color: false, width: 60 });
  const lines = text.split('\n');
  const error = lines.findIndex((l) => l.startsWith('Error:'));
  assert.deepEqual(lines.slice(error, error + 4), [
    'Error: pipelines/billing.yaml:12:5: connector "billing-sink"',
    '  exists but is not owned by project shop; pass --adopt to',
    '  take it over [PIPECTL_PLAN_UNOWNED]',
    'Warning: connector class Foo is not installed on the runtime',
  ]);
  assert.ok(lines.includes('Drift: connector "orders-sink" was changed outside pipectl:'));
  assert.ok(lines.includes('  keys batch.size, topics'));
  assert.ok(text.includes(`~ connection.url: "jdbc:postgresql://db-[-1-]{+2+}.internal.example.com:5432/orders?sslmode=require&applicationName=pipectl"`));
  noTrailingSpace(text);
  assert.equal(renderPlanText(toPublicPlan(fullPlan()), { color: true, width: 60 }).split('\n').length, lines.length, 'color does not change wrapping');
});

test('text: control characters in names, keys and values are escaped, never sent to the terminal', () => {
  const plan: Plan = {
    ...emptyPlan(),
    operations: [
      { op: 'create', name: 'evil\x1b[2Jname', initialState: 'PAUSED', config: { 'k\x07': 'v\x1b]0;title\x07', bidi: 'a\u202eb' } },
      { op: 'delete', name: 'x\u009b31m', role: 'unknown' },
    ],
    drift: [{ connector: 'd', keys: ['k\x1b'] }],
    diagnostics: [{ severity: 'warning', code: 'C' as DiagnosticCode, summary: 'm\x1b[1m\r\n' }],
    summary: { ...emptyPlan().summary, create: 1, delete: 1 },
  };
  const text = renderPlanText(toPublicPlan(plan), { color: false });
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
  assert.ok(text.includes('+ create connector "evil\\u001b[2Jname" (paused)'));
  assert.ok(text.includes('+ bidi      = "a\\u202eb"'));
  assert.ok(text.includes('+ "k\\u0007" = "v\\u001b]0;title\\u0007"'));
  assert.ok(text.includes('- delete connector "x\\u009b31m" (role unknown)'));
  assert.ok(text.includes('keys k\\u001b') || text.includes('key k\\u001b'));
  assert.ok(text.includes('Warning: m\\u001b[1m\\r\\n [C]'));
});

test('text and markdown: with errors and no operations, the plan does not claim the live state matches', async () => {
  const { renderPlanMarkdown } = await import('../../src/views/index.js');
  const plan: Plan = { ...emptyPlan(), diagnostics: [{ severity: 'error', code: 'PIPECTL_PLAN_NOT_OWNED', summary: 'connector "x" is not owned', connector: 'x', pos: { file: 'p.yaml', line: 1, column: 1 } }] };
  const text = renderPlanText(toPublicPlan(plan), { color: false });
  assert.ok(text.endsWith('\n\nNo changes planned: fix the errors above and plan again.\n'));
  assert.ok(!text.includes('matches'));
  const md = renderPlanMarkdown(toPublicPlan(plan));
  assert.ok(md.startsWith('### pipectl plan failed: 1 error\n'));
  assert.ok(md.includes('\nNo changes planned: fix the errors below and plan again.\n') && !md.includes('matches'));
  const warned: Plan = { ...plan, diagnostics: [{ ...plan.diagnostics[0]!, severity: 'warning' }] };
  assert.ok(renderPlanText(toPublicPlan(warned), { color: false }).endsWith('\nNo changes. The live state matches the pipeline files.\n'), 'warnings do not change it');
});
