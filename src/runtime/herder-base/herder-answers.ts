/**
 * The parts of the Herder API that the standalone and the distributed herder answer the same way: config
 * validation before a write, the plugin listings, a connector's status from the status store, and the plan of a
 * KIP-745 restart. Pure functions over the stores and the plugin catalog.
 */
import { BadRequestError, NotFoundError } from '../../herder/errors.js';
import type { ConfigInfos, ConfigKeyInfo, ConfigValueInfo, ConnectorConfig, ConnectorStateInfo, ConnectorType, PluginInfo, RestartRequest, TaskState } from '../../herder/types.js';
import { invalidConfigMessage } from './plugin-catalog.js';
import { restartPolicyProblem } from '../config/restart-policy.js';
import type { PluginCatalog } from './plugin-catalog.js';
import { taskStateOf, toConnectorState } from '../storage/status/status-store.js';
import type { StatusStore } from '../storage/status/status-store.js';

/**
 * The config to store for `name`: `name` injected; BadRequestError when it disagrees with the URL or is invalid
 * (including its `pipectl.restart.*` keys, which the worker reads and no plugin validates).
 */
export function validatedConfig(name: string, config: ConnectorConfig, plugins: PluginCatalog): ConnectorConfig {
  if (config['name'] !== undefined && config['name'] !== name) {
    throw new BadRequestError(`Connector name configuration (${config['name']}) doesn't match connector name in the URL (${name})`);
  }
  const full = { ...config, name };
  const policyProblem = restartPolicyProblem(full);
  if (policyProblem) throw new BadRequestError(`Connector configuration is invalid: ${policyProblem}`);
  const infos = plugins.validateConnectorConfig(full);
  if (infos.error_count > 0) throw new BadRequestError(invalidConfigMessage(infos));
  return full;
}

/**
 * PUT /connector-plugins/{p}/config/validate's answer with the restart policy's verdict added: its `pipectl.restart.*`
 * keys are the worker's, so no plugin checks them, yet a create with a bad one is refused — validate must say so first.
 */
export function validationWithRestartPolicy(infos: ConfigInfos, config: Readonly<Record<string, string>>): ConfigInfos {
  const problem = restartPolicyProblem(config);
  if (!problem) return infos;
  const key = /pipectl\.restart\.[a-z.]+[a-z]/.exec(problem)?.[0] ?? 'pipectl.restart.enabled';
  const group = 'Restart policy (pipectl)';
  const definition: ConfigKeyInfo = { name: key, type: 'STRING', required: false, default_value: null, importance: 'LOW', documentation: 'A key of the restart policy the worker applies to failed tasks.', group, order: 0, width: 'NONE', display_name: key, dependents: [] };
  const value: ConfigValueInfo = { name: key, value: config[key] ?? null, recommended_values: [], errors: [problem], visible: true };
  return { ...infos, error_count: infos.error_count + 1, groups: infos.groups.includes(group) ? infos.groups : [...infos.groups, group], configs: [...infos.configs.filter((c) => c.definition.name !== key), { definition, value }] };
}

/** GET /connector-plugins: connectors, and with connectorsOnly=false also transformations, predicates, converters. */
export function pluginList(plugins: PluginCatalog, connectorsOnly: boolean, version: string): PluginInfo[] {
  const connectors = plugins.connectorPlugins();
  if (connectorsOnly) return connectors;
  return [...connectors, ...plugins.transformationPlugins(), ...plugins.converterClassNames().map((c) => ({ class: c, type: 'converter' as const, version }))];
}

export function connectorType(config: ConnectorConfig, plugins: PluginCatalog): ConnectorType {
  return plugins.findConnector(config['connector.class'] ?? '')?.kind ?? 'unknown';
}

/**
 * A connector's status: its own record (UNASSIGNED when none yet) and one entry per task of its current task set. The
 * records carry the plugin's version, as Connect 4.x's do.
 */
export function connectorStatusOf(name: string, taskCount: number, type: ConnectorType, statuses: StatusStore): ConnectorStateInfo {
  const s = statuses.connector(name) ?? { state: 'UNASSIGNED' as const, workerId: '' };
  const tasks: TaskState[] = [];
  for (let t = 0; t < taskCount; t++) {
    const ts = statuses.task(name, t) ?? { state: 'UNASSIGNED' as const, workerId: s.workerId };
    tasks.push(taskStateOf(t, ts));
  }
  return { name, connector: toConnectorState(s), tasks, type };
}

export function taskStatusOf(name: string, task: number, taskCount: number, statuses: StatusStore): TaskState {
  const ts = task < taskCount ? statuses.task(name, task) : undefined;
  if (!ts) throw new NotFoundError(`No status found for task ${name}-${task}`);
  return taskStateOf(task, ts);
}

/** What a KIP-745 restart will do: the instances to restart, and the answer with them marked RESTARTING. */
export function restartPlan(status: ConnectorStateInfo, request: RestartRequest): { restartConnector: boolean; tasks: number[]; answer: ConnectorStateInfo } {
  const restartConnector = !request.onlyFailed || status.connector.state === 'FAILED';
  const tasks = request.includeTasks ? status.tasks.filter((t) => !request.onlyFailed || t.state === 'FAILED').map((t) => t.id) : [];
  const answer: ConnectorStateInfo = {
    ...status,
    connector: restartConnector ? { ...status.connector, state: 'RESTARTING' } : status.connector,
    tasks: status.tasks.map((t) => (tasks.includes(t.id) ? { ...t, state: 'RESTARTING' } : t)),
  };
  return { restartConnector, tasks, answer };
}
