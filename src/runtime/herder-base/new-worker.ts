/**
 * Builds the Worker the same way for both composition roots (standalone and distributed): converters and transforms
 * from the registry, secrets resolved by the guard only when a plugin receives its config, statuses and offsets in the
 * stores the mode chose; failed tasks restarted by the restart policy through the herder's task restart.
 */
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { buildTransformationChain } from '../../transforms/transformation-chain.js';
import type { StandaloneWorkerSettings } from '../config/worker-config.js';
import type { DataPlane } from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import type { SecretGuard } from '../secret-guard.js';
import type { SourceOffsetStore } from '../storage/offsets/source-offset-store.js';
import type { StatusStore } from '../storage/status/status-store.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import { Worker } from '../worker/worker.js';
import type { ConnectorTaskId } from '../../herder/types.js';
import { TaskRestarter } from './task-restarter.js';

export interface WorkerParts {
  registry: PluginRegistry;
  guard: SecretGuard;
  dataPlane: DataPlane;
  offsetStore: SourceOffsetStore;
  statusStore: StatusStore;
  logger: Logger;
  workerId: () => string;
  /** A connector started, or asked for task reconfiguration: its herder (re)generates task configs. */
  onConnectorStarted: (name: string) => void;
  /** Distributed mode: whether this worker still owns its assignment (see WorkerOptions.assignmentValid). */
  assignmentValid?: () => boolean;
  /**
   * The herder's restart of one task on this worker (what POST /connectors/{name}/tasks/{id}/restart runs here): the
   * restart policy restarts failed tasks through it.
   */
  restartTask: (id: ConnectorTaskId) => Promise<void>;
  /** The connector's config as stored now (the restart policy reads its `pipectl.restart.*` keys from it). */
  storedConfig: (connector: string) => Readonly<Record<string, string>> | undefined;
}

export function newWorker(settings: Pick<StandaloneWorkerSettings, 'raw' | 'gracefulTimeoutMs' | 'offsetFlushIntervalMs' | 'topicCreationEnable' | 'metricsEnable' | 'restartPolicy'>, parts: WorkerParts): Worker {
  const metrics = settings.metricsEnable ? new WorkerMetrics() : undefined;
  // The restarter and the worker reference each other: the worker reports statuses to it, it asks the worker what failed.
  let worker: Worker | undefined;
  const restarter = new TaskRestarter({
    defaults: settings.restartPolicy,
    restart: parts.restartTask,
    isFailed: (id) => worker?.isTaskFailed(id) ?? false,
    onPolicyRestart: (id) => metrics?.taskPolicyRestart(id.connector, id.task),
    storedConfig: parts.storedConfig,
    logger: parts.logger,
  });
  worker = new Worker({
    workerId: parts.workerId,
    plugins: parts.registry,
    dataPlane: parts.dataPlane,
    offsetStore: parts.offsetStore,
    statusStore: parts.statusStore,
    logger: parts.logger,
    workerConfig: settings.raw,
    gracefulTimeoutMs: settings.gracefulTimeoutMs,
    offsetFlushIntervalMs: settings.offsetFlushIntervalMs,
    events: { onConnectorStarted: parts.onConnectorStarted, onTaskReconfigurationRequested: parts.onConnectorStarted },
    resolveConfig: (c) => parts.guard.resolve(c),
    redact: (text) => parts.guard.redact(text),
    transformerFor: (c) => buildTransformationChain(c, parts.registry),
    topicCreationEnable: settings.topicCreationEnable,
    ...(metrics ? { metrics } : {}),
    ...(parts.assignmentValid ? { assignmentValid: parts.assignmentValid } : {}),
    taskStatusObserver: restarter,
  });
  return worker;
}
