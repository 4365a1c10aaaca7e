/**
 * The restart policy's warning: only against a target that is not pipectl's runtime (no topics route: Apache Kafka
 * Connect), only for connectors whose policy is not turned off, at the key's place in the file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorSpec, DesiredState } from '../../src/pipeline-files/desired-state.js';
import { runtimeOnlySettingDiagnostics } from '../../src/plan/runtime-only-settings.js';
import type { LiveState } from '../../src/plan/types.js';

const pos = (line: number) => ({ file: 'p.yaml', line, column: 7 });
const connector = (name: string, config: Record<string, string>): ConnectorSpec => ({
  name,
  pipeline: 'p',
  state: 'RUNNING',
  config: { 'connector.class': 'X', ...config },
  pos: pos(1),
  configPos: Object.fromEntries(Object.keys(config).map((k, i) => [k, pos(10 + i)])),
});
const desired: DesiredState = {
  pipelines: [],
  topics: [],
  connectors: [
    connector('on', { 'pipectl.restart.max.restarts': '3', 'pipectl.restart.enabled': 'true' }),
    connector('off', { 'pipectl.restart.enabled': 'false' }),
    connector('none', {}),
  ],
};
const connect: LiveState = { url: 'http://connect:8083', connectors: [], pluginClasses: [] };

test('against Apache Kafka Connect: a warning per connector with a restart policy, at its first key', () => {
  const diags = runtimeOnlySettingDiagnostics(desired, connect);
  assert.deepEqual(diags.map((d) => [d.severity, d.code, d.connector, d.pos?.line]), [['warning', 'PIPECTL_PLAN_RESTART_POLICY_IGNORED', 'on', 10]]);
  assert.match(diags[0]!.summary, /not pipectl's runtime \(Apache Kafka Connect\)/);
});

test("against pipectl's runtime (it serves topics): no warning", () => {
  assert.deepEqual(runtimeOnlySettingDiagnostics(desired, { ...connect, topics: [] }), []);
});
