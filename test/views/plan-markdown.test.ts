import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiagnosticCode } from '../../src/diag/codes.js';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/views/index.js';
import { toPublicPlan } from '../../src/plan/public-form.js';
import { emptyPlan, fullPlan, RESOLVED_SECRET } from './fixtures.js';
import { assertGolden } from './golden.js';

test('markdown: title with the summary, the plan in a collapsed diff block, drift and diagnostics as lists (golden)', () => {
  const md = renderPlanMarkdown(toPublicPlan(fullPlan()));
  assertGolden('full.md', md);
  const lines = md.split('\n');
  // The full fixture has an error: the title says the plan failed, not what it would change.
  assert.equal(lines[0], '### pipectl plan failed: 1 error');
  const clean = renderPlanMarkdown(toPublicPlan({ ...fullPlan(), diagnostics: fullPlan().diagnostics.filter((d) => d.severity !== 'error') }));
  assert.equal(clean.split('\n')[0], '### pipectl plan: 1 to create, 2 to update, 1 to delete, 3 state changes, 1 restart, 1 topic to create, 1 topic to update');
  const open = lines.indexOf('<details><summary>Show plan</summary>');
  const close = lines.indexOf('</details>');
  assert.ok(open > 0 && close > open);
  assert.equal(lines[open + 2], '```diff');
  assert.ok(lines.indexOf('**Drift**') > close && lines.indexOf('**Diagnostics**') > close, 'drift and diagnostics outside the details');
  assert.ok(lines.includes('- connector `orders-sink` was changed outside pipectl: keys `batch.size`, `topics`'));
  assert.ok(lines.some((l) => l.startsWith('- **Error** `pipelines/billing.yaml:12:5`: ')));
  for (const line of lines) assert.doesNotMatch(line, /\s$/);
  assert.doesNotMatch(md, /\x1b/);
});

test('markdown: diff lines start with their sign so GitHub colors them; ~ becomes !', () => {
  const lines = renderPlanMarkdown(toPublicPlan(fullPlan())).split('\n');
  assert.ok(lines.includes('+   create connector "orders-source" (running)'));
  assert.ok(lines.includes('+       api.token       = (sensitive)'));
  assert.ok(lines.includes('!   update connector "orders-sink"'));
  assert.ok(lines.includes('-       batch.size: "100"'));
  assert.ok(lines.includes('-   delete connector "old-source" (source)'));
  assert.ok(lines.includes('-             if (r.value.total > 100) {'), 'heredoc diff lines too');
  assert.ok(lines.includes('  ⏸ pause connector "audit-sink"'));
  // Same content as the text view, apart from where signs sit.
  const text = renderPlanText(toPublicPlan(fullPlan()), { color: false });
  assert.ok(text.includes('\n          -   if (r.value.total > 100) {\n'));
});

test('markdown: an empty plan has no details block', () => {
  const md = renderPlanMarkdown(toPublicPlan(emptyPlan()));
  assertGolden('empty.md', md);
  assert.equal(md, '### pipectl plan: no changes\n\nProject `shop`, target `http://localhost:8083`.\n\nThe live state matches the pipeline files.\n');
});

test('markdown: values cannot break out of the code block or inject markup; no secrets', () => {
  const plan: Plan = {
    ...emptyPlan(),
    operations: [{ op: 'create', name: 'a`b', initialState: 'RUNNING', config: { doc: 'x\n````\n</details>', password: RESOLVED_SECRET } }],
    drift: [{ connector: 'c`d', keys: ['``k'] }],
    diagnostics: [{ severity: 'warning', code: 'C' as DiagnosticCode, summary: '<img src=x> **bold** @someone [link](http://x)' }],
    summary: { ...emptyPlan().summary, create: 1 },
  };
  const md = renderPlanMarkdown(toPublicPlan(plan));
  assert.ok(!md.includes(RESOLVED_SECRET));
  assert.ok(md.includes('\n`````diff\n') && md.includes('\n`````\n\n</details>'), 'the fence outgrows the backticks inside');
  assert.ok(md.includes('- connector ``c`d`` was changed outside pipectl: key ``` ``k ```'));
  assert.ok(md.includes('- **Warning**: &lt;img src=x&gt; \\*\\*bold\\*\\* &#64;someone \\[link\\](http://x) (`C`)'));
});
