/**
 * No view of a plan can show a secret: every view reads only the plan's public form, in which src/plan has already
 * redacted every sensitive value. Checked over a plan computed from files and a live state full of secrets —
 * literal values of secret-named keys, passwords inside URLs, `${…}` references, in connector and topic configs, as
 * new values and as live ones — and over a hand-built plan that carries literal secrets where a planner would not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePlan } from '../../src/plan/compute-plan.js';
import { createPlanFile, serialisePlanFile } from '../../src/plan/plan-file.js';
import { toPublicPlan } from '../../src/plan/public-form.js';
import type { ConnectorSpec, DesiredState, TopicSpec } from '../../src/pipeline-files/desired-state.js';
import type { LiveState, Plan } from '../../src/plan/types.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText, stripAnsi } from '../../src/views/index.js';
import { RESOLVED_SECRET } from './fixtures.js';

/** Literal secrets: none may appear in any view or in a saved plan. */
const LITERALS = ['lit-Pw-new-1', 'lit-Pw-old-2', 'url-Pw-new-3', 'url-Pw-old-4', 'topic-Pw-5', 'topic-Pw-old-6', 'jaas-Pw-7', 'key-Pw-8', RESOLVED_SECRET];
/** Secret references: none may appear in the text or Markdown view; in JSON only in a config to send. */
const REFERENCES = ['${env:ORDERS_TOKEN}', '${file:/run/secrets/db:pw}', '${env:OLD_TOKEN}'];

const POS = { file: 'pipelines/p.yaml', line: 1, column: 1 };
const connector = (name: string, config: Record<string, string>): ConnectorSpec => ({ name, pipeline: 'p', state: 'RUNNING', config, pos: POS, configPos: {} });
const topic = (name: string, config: Record<string, string>): TopicSpec => ({ name, pipelines: ['p'], config, pos: POS, settingPos: {}, configPos: {} });

const desired: DesiredState = {
  pipelines: [],
  topics: [topic('new-topic', { 'ssl.truststore.password': 'topic-Pw-5', 'retention.ms': '1000' }), topic('old-topic', { 'sasl.jaas.config': 'x password="jaas-Pw-7";' })],
  connectors: [
    connector('created', {
      'connector.class': 'FileStreamSink',
      'db.password': 'lit-Pw-new-1',
      'connection.url': 'jdbc:postgresql://app:url-Pw-new-3@db:5432/orders',
      'api.token': '${env:ORDERS_TOKEN}',
      'ssl.key': '${file:/run/secrets/db:pw}',
      'api.key': 'key-Pw-8',
    }),
    connector('updated', {
      'connector.class': 'FileStreamSink',
      'db.password': 'lit-Pw-new-1',
      'connection.url': 'jdbc:postgresql://app:url-Pw-new-3@db:5432/orders',
      'api.token': '${env:ORDERS_TOKEN}',
    }),
  ],
};

const live: LiveState = {
  url: 'http://127.0.0.1:8083',
  pluginClasses: ['org.apache.kafka.connect.file.FileStreamSinkConnector'],
  topics: [{ name: 'old-topic', partitions: 1, replicationFactor: 1, config: { 'sasl.jaas.config': 'x password="topic-Pw-old-6";', 'ssl.keystore.password': 'topic-Pw-old-6' } }],
  connectors: [
    {
      name: 'updated',
      type: 'sink',
      state: 'RUNNING',
      taskStates: ['RUNNING'],
      config: {
        'connector.class': 'FileStreamSink',
        'db.password': 'lit-Pw-old-2',
        'connection.url': 'jdbc:postgresql://app:url-Pw-old-4@db:5432/orders',
        'api.token': '${env:OLD_TOKEN}',
        'pipectl.owner': 'shop',
      },
    },
  ],
};

function computed(): Plan {
  return computePlan(desired, live, { project: 'shop', prune: false, adopt: false, restart: [], ignoreKeys: [] });
}

/** The same kind of plan built by hand, with literal secrets where no planner puts them (a change not marked sensitive). */
function handBuilt(): Plan {
  const plan = computed();
  plan.operations.push({ op: 'update', name: 'careless', config: { 'db.password': 'lit-Pw-new-1' }, adopt: false, changes: [{ key: 'db.password', kind: 'changed', before: 'lit-Pw-old-2', after: 'lit-Pw-new-1', sensitive: false }] });
  plan.operations.push({ op: 'update', name: 'careless-url', config: {}, adopt: false, changes: [{ key: 'connection.url', kind: 'added', after: 'postgres://u:url-Pw-new-3@h/db', sensitive: false }] });
  Object.assign(plan.operations[0]!, { resolvedConfig: { 'db.password': RESOLVED_SECRET } });
  Object.assign(plan, { secrets: [RESOLVED_SECRET] });
  return plan;
}

function views(plan: Plan): Record<string, string> {
  const shown = toPublicPlan(plan);
  return {
    text: renderPlanText(shown, { color: false }),
    'colored text': stripAnsi(renderPlanText(shown, { color: true, width: 50 })),
    markdown: renderPlanMarkdown(shown),
    json: renderPlanJson(shown),
    'saved plan': serialisePlanFile(createPlanFile({ paths: ['pipelines'], varSources: [], headers: [], flags: { prune: false, adopt: false, restart: [], ignoreKey: [] }, live, plan, salt: '00' })),
  };
}

/** Every path in `value` (JSON) whose string contains `needle`, as `operations[3].config.api.token`. */
function pathsOf(value: unknown, needle: string, at = ''): string[] {
  if (typeof value === 'string') return value.includes(needle) ? [at] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => pathsOf(v, needle, Array.isArray(value) ? `${at}[${k}]` : `${at}.${k}`));
}

for (const [name, make] of [
  ['a computed plan', computed],
  ['a hand-built plan with literal secrets', handBuilt],
] as const) {
  test(`no view of ${name} shows a literal secret or a URL password`, () => {
    const plan = make();
    assert.ok(plan.operations.length >= 4, 'the plan creates and updates connectors and topics');
    for (const [view, out] of Object.entries(views(plan))) {
      for (const secret of LITERALS) assert.ok(!out.includes(secret), `${view} shows ${secret}`);
      assert.ok(out.includes('(sensitive)'), `${view} marks what it hides`);
    }
  });

  test(`no human view of ${name} shows a secret reference; the JSON keeps them only in the config to send`, () => {
    const plan = make();
    const shown = views(plan);
    for (const view of ['text', 'colored text', 'markdown']) {
      for (const ref of REFERENCES) assert.ok(!shown[view]!.includes(ref), `${view} shows ${ref}`);
      assert.ok(!shown[view]!.includes('${'), `${view} shows a reference`);
    }
    const json = JSON.parse(shown['json']!) as unknown;
    const saved = (JSON.parse(shown['saved plan']!) as { plan: unknown }).plan;
    for (const form of [json, saved]) {
      const found = pathsOf(form, '${');
      assert.ok(found.length > 0, 'the config to send keeps its references (what apply compares)');
      for (const path of found) assert.match(path, /^\.operations\[\d+\]\.config\./, `a reference outside a config to send: ${path}`);
    }
  });
}

test('the public form redacts by the rule of src/plan/sensitivity.ts, once, whatever the plan holds', () => {
  const shown = toPublicPlan(handBuilt());
  const created = shown.operations.find((o) => o.name === 'created' && o.op === 'create');
  assert.ok(created?.op === 'create');
  assert.deepEqual(created.config, {
    'api.key': '(sensitive)',
    'api.token': '${env:ORDERS_TOKEN}',
    'connection.url': 'jdbc:postgresql://app:(sensitive)@db:5432/orders',
    'connector.class': 'FileStreamSink',
    'db.password': '(sensitive)',
    'pipectl.applied.hash': created.config['pipectl.applied.hash'],
    'pipectl.owner': 'shop',
    'ssl.key': '${file:/run/secrets/db:pw}',
  });
  assert.deepEqual(created.redactedConfig, {
    'api.key': '(sensitive)',
    'api.token': '(sensitive)',
    'connection.url': 'jdbc:postgresql://app:(sensitive)@db:5432/orders',
    'connector.class': 'FileStreamSink',
    'db.password': '(sensitive)',
    'ssl.key': '(sensitive)',
  });
  const careless = shown.operations.find((o) => o.name === 'careless');
  assert.ok(careless?.op === 'update');
  assert.deepEqual(careless.changes, [{ key: 'db.password', kind: 'changed', before: '(sensitive)', after: '(sensitive)', sensitive: true }]);
  assert.ok(!('resolvedConfig' in shown.operations[0]!) && !('secrets' in shown), 'what the types do not declare is not carried');
});
