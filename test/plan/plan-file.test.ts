/**
 * Saved plans: what `plan --out` writes reads back as the same value, with mode 0600; a file with a missing, unknown
 * or wrong field is refused with PIPECTL_APPLY_PLAN_FILE and the field's path; the --var/--header fingerprints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportsOfError } from '../../src/cli/session-errors.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { createPlanFile, parsePlanFile, PlanFileError, readPlanFile, serialisePlanFile, stalePlanReason, writePlanFile } from '../../src/plan/plan-file.js';
import type { PlanFile } from '../../src/plan/plan-file.js';
import { PlanInputsError, restoreInputs } from '../../src/plan/plan-file-inputs.js';
import { toPublicPlan } from '../../src/plan/public-form.js';
import type { LiveState } from '../../src/plan/types.js';
import { loadDesiredState } from '../../src/pipeline-files/load-desired-state.js';
import { REPO_ROOT } from '../support/paths.js';

const CASE = join(REPO_ROOT, 'test', 'plan', 'testdata', 'drift');
const FLAGS = { url: 'http://127.0.0.1:8083', prune: true, adopt: false, restart: ['orders-sink'], ignoreKey: ['x.*'] };

function saved(): { file: PlanFile; live: LiveState } {
  const desired = loadDesiredState({ paths: ['pipelines'], cwd: CASE });
  const live = JSON.parse(readFileSync(join(CASE, 'live.json'), 'utf8')) as LiveState;
  const plan = computePlan(desired.state, live, { project: 'shop', prune: true, adopt: false, restart: [], ignoreKeys: [] });
  const varSources = [{ kind: 'var' as const, text: 'BATCH=5' }, { kind: 'file' as const, path: 'vars.yaml' }];
  return { file: createPlanFile({ paths: ['pipelines'], varSources, headers: ['Authorization: Bearer abc'], flags: FLAGS, live, plan, salt: 'c0ffee' }), live };
}

test('a saved plan reads back as the same value; it holds the public form, fingerprints and no input value', () => {
  const { file } = saved();
  const text = serialisePlanFile(file);
  assert.deepEqual(parsePlanFile(text, 'p.plan'), file);
  assert.equal(file.pipectlPlanFile, 2);
  assert.ok(file.plan.operations.length > 0);
  assert.deepEqual(file.varSources[1], { kind: 'file', path: 'vars.yaml' });
  assert.ok(!text.includes('BATCH=5') && !text.includes('"5"') && !text.includes('Bearer abc'), 'only fingerprints of --var and --header values');
  assert.deepEqual(restoreInputs(file, [{ kind: 'var', text: 'BATCH=5' }], ['Authorization: Bearer abc']), [{ kind: 'var', text: 'BATCH=5' }, { kind: 'file', path: 'vars.yaml' }]);
  assert.throws(() => restoreInputs(file, [{ kind: 'var', text: 'BATCH=6' }], ['Authorization: Bearer abc']), (e: unknown) => e instanceof PlanInputsError && e.code === 'PIPECTL_APPLY_PLAN_INPUTS' && /--var BATCH: the value differs/.test(e.message) && !e.message.includes('6'));
});

test('a saved plan is written with mode 0600 and read back from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-plan-file-'));
  try {
    const path = join(dir, 'p.plan');
    writeFileSync(path, 'old', { mode: 0o644 });
    const { file } = saved();
    writePlanFile(path, file);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readPlanFile(path), file);
    assert.throws(() => readPlanFile(join(dir, 'missing.plan')), (e: unknown) => e instanceof PlanFileError && /^cannot read plan file /.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `file` as JSON, changed by `edit`. */
function edited(edit: (f: Record<string, any>) => void): string {
  const f = JSON.parse(serialisePlanFile(saved().file)) as Record<string, any>;
  edit(f);
  return JSON.stringify(f);
}

test('a plan file with a missing, unknown or wrong field is refused with PIPECTL_APPLY_PLAN_FILE, naming the field', () => {
  const cases: [string, (f: Record<string, any>) => void, string, RegExp][] = [
    ['missing salt', (f) => delete f['salt'], 'salt', /salt: expected a string, found nothing \(the field is missing\)/],
    ['missing fingerprints', (f) => delete f['plan'].fingerprints, 'plan.fingerprints', /plan\.fingerprints: expected an object/],
    ['unknown top-level field', (f) => (f['secrets'] = ['x']), 'secrets', /secrets: expected no such field/],
    ['unknown operation field', (f) => (f['plan'].operations[0].resolvedConfig = {}), 'plan.operations[0].resolvedConfig', /expected no such field/],
    ['unknown operation', (f) => (f['plan'].operations[0].op = 'crate'), 'plan.operations[0].op', /expected one of "create-topic", .*found string "crate"/],
    ['wrong config value', (f) => (f['plan'].operations[0].config['x'] = 5), 'plan.operations[0].config["x"]', /expected a string, found number 5/],
    ['wrong diagnostic line', (f) => (f['plan'].diagnostics = [{ severity: 'error', code: 'C', message: 'm', line: '3' }]), 'plan.diagnostics[0].line', /expected an integer/],
    ['wrong live digest', (f) => (f['live'].connectors = []), 'live.connectors', /expected an object, found a list/],
    ['wrong var source', (f) => (f['varSources'][0] = { kind: 'var', name: 'BATCH', value: '5' }), 'varSources[0].fingerprint', /expected a string/],
    ['wrong flag', (f) => (f['flags'].prune = 'yes'), 'flags.prune', /expected true or false/],
    ['another format version', (f) => (f['plan'].formatVersion = 2), 'plan.formatVersion', /expected 1, found number 2/],
    ['not a plan file', (f) => delete f['pipectlPlanFile'], 'pipectlPlanFile', /is not a pipectl plan file/],
  ];
  for (const [name, edit, field, message] of cases) {
    assert.throws(
      () => parsePlanFile(edited(edit), 'p.plan'),
      (e: unknown) => {
        assert.ok(e instanceof PlanFileError, name);
        assert.equal(e.code, 'PIPECTL_APPLY_PLAN_FILE', name);
        assert.equal(e.field, field, name);
        assert.match(e.message, message, name);
        assert.match(e.message, /^p\.plan /, `${name}: the file is named`);
        assert.deepEqual(reportsOfError(e).map((r) => r.code), ['PIPECTL_APPLY_PLAN_FILE'], `${name}: reported with the code`);
        return true;
      },
      name,
    );
  }
});

test('a plan file that is not JSON, or of version 1, is refused with its own message', () => {
  assert.throws(() => parsePlanFile('{"pipectlPlanFile": 2', 'p.plan'), (e: unknown) => e instanceof PlanFileError && /^cannot read plan file p\.plan: /.test(e.message));
  assert.throws(() => parsePlanFile('[]', 'p.plan'), (e: unknown) => e instanceof PlanFileError && /is not a pipectl plan file/.test(e.message));
  assert.throws(() => parsePlanFile('{"pipectlPlanFile": 1}', 'p.plan'), (e: unknown) => e instanceof PlanFileError && /older pipectl \(plan file version 1/.test(e.message));
});

test('stalePlanReason compares a saved public form with the plan made again', () => {
  const { file } = saved();
  const desired = loadDesiredState({ paths: ['pipelines'], cwd: CASE });
  const live = JSON.parse(readFileSync(join(CASE, 'live.json'), 'utf8')) as LiveState;
  const again = computePlan(desired.state, live, { project: 'shop', prune: true, adopt: false, restart: [], ignoreKeys: [] });
  assert.equal(stalePlanReason(file.plan, again), undefined);
  assert.deepEqual(file.plan, toPublicPlan(again));
  const moved = computePlan(desired.state, { ...live, connectors: [] }, { project: 'shop', prune: true, adopt: false, restart: [], ignoreKeys: [] });
  assert.match(stalePlanReason(file.plan, moved) ?? '', /^the saved plan is stale: the live state of the runtime changed since it was made\./);
});
