/**
 * Golden plans: each folder of test/plan/testdata holds pipeline files, the live state of a runtime (live.json), the
 * plan options (options.json, optional), and the expected plan in both forms (plan.json, plan.txt). Run with
 * UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change, then review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { LiveState, PlanOptions } from '../../src/plan/types.js';
import { renderPlanJson, renderPlanText } from '../../src/views/index.js';
import { toPublicPlan } from '../../src/plan/public-form.js';
import { loadDesiredState } from '../../src/pipeline-files/load-desired-state.js';
import { REPO_ROOT } from '../support/paths.js';

const TESTDATA = join(REPO_ROOT, 'test', 'plan', 'testdata');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

for (const name of readdirSync(TESTDATA).sort()) {
  test(`golden plan: ${name}`, () => {
    const dir = join(TESTDATA, name);
    const desired = loadDesiredState({ paths: ['pipelines'], cwd: dir });
    assert.deepEqual(desired.diagnostics, []);
    const live = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as LiveState;
    const extra = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as Partial<PlanOptions>) : {};
    const options: PlanOptions = { project: 'shop', prune: false, adopt: false, restart: [], ignoreKeys: [], ...extra };
    const plan = computePlan(desired.state, live, options);
    const json = renderPlanJson(toPublicPlan(plan));
    const text = renderPlanText(toPublicPlan(plan), { color: false });
    if (UPDATE) {
      writeFileSync(join(dir, 'plan.json'), json);
      writeFileSync(join(dir, 'plan.txt'), text);
    }
    assert.equal(json, readFileSync(join(dir, 'plan.json'), 'utf8'), `${name}/plan.json`);
    assert.equal(text, readFileSync(join(dir, 'plan.txt'), 'utf8'), `${name}/plan.txt`);
    // The plan is a pure function of its inputs: computing it again gives the same bytes.
    assert.equal(renderPlanJson(toPublicPlan(computePlan(desired.state, live, options))), json);
  });
}
