import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanJson } from '../../src/render/index.js';
import { emptyPlan, fullPlan } from './fixtures.js';
import { assertGolden } from './golden.js';

/** The plan as its JSON form holds it: diagnostics flat, their summary as `message`, their position as file/line/column. */
const publicForm = (plan: Plan): unknown => ({
  ...plan,
  diagnostics: plan.diagnostics.map(({ summary, pos, ...rest }) => ({ ...rest, message: summary, ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}) })),
});

test('json: the whole plan, 2-space indent, trailing newline (golden); parses back to the same plan (diagnostics flat)', () => {
  const plan = fullPlan();
  const json = renderPlanJson(plan);
  assertGolden('full.json', json);
  assert.ok(json.endsWith('}\n') && !json.endsWith('\n\n'));
  assert.deepEqual(JSON.parse(json), publicForm(plan));
  assert.deepEqual(JSON.parse(renderPlanJson(emptyPlan())), emptyPlan());
});

test('json: key order follows the type, not how the object was built; config maps are sorted', () => {
  const plan = fullPlan();
  const shuffled = {
    fingerprints: { live: plan.fingerprints.live, desired: plan.fingerprints.desired },
    summary: Object.fromEntries(Object.entries(plan.summary).reverse()),
    diagnostics: plan.diagnostics.map((d) => Object.fromEntries(Object.entries(d).reverse())),
    drift: plan.drift,
    operations: plan.operations.map((o) => Object.fromEntries(Object.entries(o).reverse())),
    target: plan.target,
    project: plan.project,
    formatVersion: plan.formatVersion,
  } as unknown as Plan;
  assert.equal(renderPlanJson(shuffled), renderPlanJson(plan));
  const parsed = JSON.parse(renderPlanJson(plan)) as Plan;
  assert.deepEqual(Object.keys(parsed), ['formatVersion', 'project', 'target', 'operations', 'drift', 'diagnostics', 'summary', 'fingerprints']);
  const keysOf = (op: string): string[] => Object.keys(parsed.operations.find((o) => o.op === op)!);
  assert.deepEqual(keysOf('update-topic'), ['op', 'name', 'pipeline', 'partitions', 'config', 'changes']);
  assert.deepEqual(keysOf('create'), ['op', 'name', 'pipeline', 'initialState', 'config', 'redactedConfig']);
  assert.deepEqual(keysOf('update'), ['op', 'name', 'pipeline', 'config', 'changes', 'adopt']);
  assert.deepEqual(Object.keys(parsed.summary), ['create', 'update', 'delete', 'stateChange', 'restart', 'createTopic', 'updateTopic']);
  const numeric: Plan = { ...emptyPlan(), operations: [{ op: 'create-topic', name: 't', config: { b: '1', '10': 'x', '2': 'y', a: '3' } }] };
  assert.match(renderPlanJson(numeric), /"config": \{\n\s+"10": "x",\n\s+"2": "y",\n\s+"a": "3",\n\s+"b": "1"\n/, 'integer-like keys sorted as text too');
});

test('json: nothing outside the Plan type is written, so a resolved secret attached to the plan cannot leak', async () => {
  const { RESOLVED_SECRET } = await import('./fixtures.js');
  const plan = fullPlan();
  Object.assign(plan.operations.find((o) => o.op === 'create')!, { resolvedConfig: { 'api.token': RESOLVED_SECRET } });
  Object.assign(plan, { secrets: [RESOLVED_SECRET] });
  const json = renderPlanJson(plan);
  assert.ok(!json.includes(RESOLVED_SECRET));
  assert.ok(!json.includes('resolvedConfig') && !json.includes('"secrets"'));
  assert.ok(json.includes('"api.token": "${env:ORDERS_TOKEN}"'), 'the config to send keeps its secret references');
});

test('json: a change marked sensitive shows (sensitive), whatever the planner put in before/after', () => {
  const plan: Plan = {
    ...emptyPlan(),
    operations: [{ op: 'update', name: 'c', config: {}, adopt: false, changes: [{ key: 'db.password', kind: 'changed', before: 'old-pw', after: 'new-pw', sensitive: true }] }],
  };
  const json = renderPlanJson(plan);
  assert.ok(!json.includes('old-pw') && !json.includes('new-pw'));
  assert.equal((JSON.parse(json) as Plan).operations[0]!.op, 'update');
  assert.match(json, /"before": "\(sensitive\)",\n\s+"after": "\(sensitive\)",\n\s+"sensitive": true/);
});
