/**
 * One sequence of Kafka Connect REST requests — create, duplicate create, unknown connector, update, patch, pause,
 * resume, stop, restart with each option, offsets get/alter/reset, validate good and bad configs, delete, malformed
 * bodies — sent to a worker, recording each answer's status code and JSON shape. Run against Apache Kafka Connect and
 * against pipectl's worker, the two recordings are compared step by step (rest-compat.test.ts).
 */
import { join } from 'node:path';
import { http, waitFor } from '../support/worker-process.js';

export interface StepAnswer {
  step: string;
  status: number;
  /** The body's structure: object keys with the shapes of their values, arrays by their first element, types. */
  shape: unknown;
  body: unknown;
  /**
   * For config/validate answers, what the shape leaves out (it looks only at an array's first element): the keys in
   * order, the groups, each key's type, whether it has a default and recommended values, and the converter choices.
   */
  detail?: unknown;
}

/** The parts of a config/validate answer (ConfigInfos) that must agree with Connect's; see StepAnswer.detail. */
export function validateDetail(body: unknown): unknown {
  const infos = body as { groups?: string[]; configs?: { definition: { name: string; type: string; default_value: unknown }; value: { recommended_values: string[] } }[] };
  if (!Array.isArray(infos?.configs)) return undefined;
  return {
    groups: infos.groups,
    keys: infos.configs.map((c) => `${c.definition.name} ${c.definition.type}${c.definition.default_value === null ? '' : ' (default)'}${c.value.recommended_values.length > 0 ? ' (recommended)' : ''}`),
    converters: Object.fromEntries(infos.configs.filter((c) => /^(key|value|header)\.converter$/.test(c.definition.name)).map((c) => [c.definition.name, { default: c.definition.default_value, recommended: c.value.recommended_values }])),
  };
}

/** The structure of a JSON value, without its values: what "the same JSON shape" means in the comparison. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) out[k] = shapeOf((value as Record<string, unknown>)[k]);
    return out;
  }
  return typeof value;
}

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

/**
 * Runs the sequence against `base`; `dir` holds this worker's input file; `topic` is where the source writes. With
 * `backToBack`, a block of writes sent without waiting in between follows the create (each may land while the group
 * rebalances, in distributed mode): Connect queues them until the rebalance completes.
 */
export async function runSequence(base: string, dir: string, topic: string, options: { backToBack?: boolean } = {}): Promise<StepAnswer[]> {
  const answers: StepAnswer[] = [];
  const name = 'compat-source';
  const config = { 'connector.class': SOURCE, 'tasks.max': '1', file: join(dir, 'in.txt'), topic };
  const step = async (label: string, method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: unknown }> => {
    const r = await http(method, `${base}${path}`, raw ?? body);
    const detail = path.endsWith('/config/validate') ? validateDetail(r.body) : undefined;
    answers.push({ step: label, status: r.status, shape: shapeOf(r.body), body: r.body, ...(detail === undefined ? {} : { detail }) });
    return r;
  };
  const state = async (): Promise<{ connector: { state: string }; tasks: { state: string }[] } | undefined> => {
    const r = await http('GET', `${base}/connectors/${name}/status`);
    return r.status === 200 ? (r.body as { connector: { state: string }; tasks: { state: string }[] }) : undefined;
  };
  const settled = (want: string, tasks = 1) => async (): Promise<boolean> => {
    const s = await state();
    return s !== undefined && s.connector.state === want && s.tasks.length === tasks && s.tasks.every((t) => t.state === want);
  };

  await step('create', 'POST', '/connectors', { name, config });
  if (options.backToBack) {
    for (const n of [1, 2, 3]) await step(`back-to-back update ${n}`, 'PUT', `/connectors/${name}/config`, { ...config, 'tasks.max': String(1 + (n % 2)) });
    await step('back-to-back update 4', 'PUT', `/connectors/${name}/config`, config);
    await step('back-to-back pause', 'PUT', `/connectors/${name}/pause`);
    await step('back-to-back resume', 'PUT', `/connectors/${name}/resume`);
    await step('back-to-back restart includeTasks', 'POST', `/connectors/${name}/restart?includeTasks=true`);
    await step('back-to-back patch', 'PATCH', `/connectors/${name}/config`, { 'batch.size': '50' });
    await step('back-to-back create of a second connector', 'POST', '/connectors', { name: `${name}-2`, config });
    await step('back-to-back delete of it', 'DELETE', `/connectors/${name}-2`);
  }
  await waitFor('RUNNING', settled('RUNNING'), 30_000, 100);
  await step('create again (duplicate)', 'POST', '/connectors', { name, config });
  await step('get connector', 'GET', `/connectors/${name}`);
  await step('get unknown connector', 'GET', '/connectors/no-such-connector');
  await step('status', 'GET', `/connectors/${name}/status`);
  await step('task status', 'GET', `/connectors/${name}/tasks/0/status`);
  await step('unknown task status', 'GET', `/connectors/${name}/tasks/7/status`);
  await step('update config', 'PUT', `/connectors/${name}/config`, { ...config, 'batch.size': '100' });
  await waitFor('RUNNING after update', settled('RUNNING'), 30_000, 100);
  await step('patch config', 'PATCH', `/connectors/${name}/config`, { 'batch.size': '200' });
  await waitFor('RUNNING after patch', settled('RUNNING'), 30_000, 100);
  await step('pause', 'PUT', `/connectors/${name}/pause`);
  await waitFor('PAUSED', settled('PAUSED'), 30_000, 100);
  await step('status while paused', 'GET', `/connectors/${name}/status`);
  await step('resume', 'PUT', `/connectors/${name}/resume`);
  await waitFor('RUNNING after resume', settled('RUNNING'), 30_000, 100);
  await step('restart connector (plain)', 'POST', `/connectors/${name}/restart`);
  await waitFor('RUNNING after restart', settled('RUNNING'), 30_000, 100);
  await step('restart includeTasks', 'POST', `/connectors/${name}/restart?includeTasks=true`);
  await waitFor('RUNNING after includeTasks restart', settled('RUNNING'), 30_000, 100);
  await step('restart onlyFailed', 'POST', `/connectors/${name}/restart?onlyFailed=true`);
  await step('restart includeTasks&onlyFailed', 'POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`);
  await step('restart task', 'POST', `/connectors/${name}/tasks/0/restart`);
  await waitFor('RUNNING after task restart', settled('RUNNING'), 30_000, 100);
  await step('offsets while running', 'GET', `/connectors/${name}/offsets`);
  await step('alter offsets while running', 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: config.file }, offset: { position: 0 } }] });
  await step('stop', 'PUT', `/connectors/${name}/stop`);
  await waitFor('STOPPED', settled('STOPPED', 0), 30_000, 100);
  await step('status while stopped', 'GET', `/connectors/${name}/status`);
  await step('alter offsets', 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: config.file }, offset: { position: 3 } }] });
  await step('get offsets', 'GET', `/connectors/${name}/offsets`);
  await step('reset offsets', 'DELETE', `/connectors/${name}/offsets`);
  await step('validate good config', 'PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', { ...config, name });
  await step('validate bad config', 'PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', { 'connector.class': SOURCE, name, 'tasks.max': 'many' });
  await step('validate sink config', 'PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', { 'connector.class': 'FileStreamSink', name: `${name}-sink`, topics: topic });
  // A create through PUT …/config is answered with its new task, as POST /connectors is (standalone).
  await step('create through PUT', 'PUT', `/connectors/${name}-put/config`, config);
  await step('delete the one created through PUT', 'DELETE', `/connectors/${name}-put`);
  await step('create with invalid config', 'POST', '/connectors', { name: 'compat-bad', config: { 'connector.class': SOURCE, 'tasks.max': 'many', topic } });
  await step('malformed JSON body', 'POST', '/connectors', undefined, '{"name": "broken", ');
  await step('body without config', 'POST', '/connectors', { name: 'no-config' });
  await step('delete', 'DELETE', `/connectors/${name}`);
  await step('delete unknown', 'DELETE', `/connectors/${name}`);
  await step('list after delete', 'GET', '/connectors');
  return answers;
}
