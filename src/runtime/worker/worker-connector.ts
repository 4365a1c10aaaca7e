/**
 * One Connector instance and its lifecycle (Connect's WorkerConnector): started when the target is STARTED, stopped
 * when PAUSED or STOPPED (reporting PAUSED/STOPPED), FAILED with a trace when start throws or the plugin raises an
 * error. Plugin calls are bounded: a hanging start leaves the status UNASSIGNED and never blocks the caller.
 */
import type { StatusState, TargetState } from '../../herder/types.js';
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import type { Logger } from '../logger.js';
import { invoke, settleWithin, traceOf } from './bounded.js';
import { WorkerError } from './worker-error.js';

export interface ConnectorStatusListener {
  onConnectorStatus(name: string, state: StatusState, trace?: string): void;
  /** The instance started (or resumed): the herder may now ask it for task configs. */
  onConnectorStarted(name: string): void;
  onTaskReconfigurationRequested(name: string): void;
}

export class WorkerConnector {
  private instance: Connector | undefined;
  private started = false;
  private failed = false;
  /** Incremented on every transition, so the outcome of a superseded start is ignored. */
  private generation = 0;

  constructor(
    readonly name: string,
    readonly plugin: ConnectorPlugin,
    /** The config as stored (secret references unresolved). */
    readonly config: Readonly<Record<string, string>>,
    /** The config the plugin receives (references resolved); never stored or logged. */
    private readonly resolvedConfig: Readonly<Record<string, string>>,
    private readonly listener: ConnectorStatusListener,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  get isStarted(): boolean {
    return this.started;
  }

  /** Moves the instance to `target`. Resolves when any needed stop finished (bounded); starts run in the background. */
  async transitionTo(target: TargetState): Promise<void> {
    const gen = ++this.generation;
    if (target === 'STARTED') {
      if (this.started) return;
      this.failed = false;
      this.listener.onConnectorStatus(this.name, 'UNASSIGNED');
      void this.startInstance(gen);
      return;
    }
    await this.stopInstance();
    if (!this.failed || target === 'STOPPED') this.listener.onConnectorStatus(this.name, target === 'PAUSED' ? 'PAUSED' : 'STOPPED');
  }

  /** Task configs from the started instance (bounded); throws when not started or the plugin fails. */
  async taskConfigs(maxTasks: number): Promise<Record<string, string>[]> {
    const instance = this.instance;
    if (!instance || !this.started) throw new WorkerError('PIPECTL_WORKER_CONNECTOR_NOT_RUNNING', `connector ${this.name} is not started`);
    const r = await settleWithin(invoke(() => instance.taskConfigs(maxTasks)), this.timeoutMs);
    if (!r.settled) throw new WorkerError('PIPECTL_WORKER_TASK_CONFIGS_TIMEOUT', `connector ${this.name} did not return task configs within ${this.timeoutMs} ms`);
    if ('error' in r) throw r.error;
    return r.value;
  }

  /** Stops the instance for good (delete, config change, shutdown). */
  async shutdown(): Promise<void> {
    ++this.generation;
    await this.stopInstance();
  }

  /** Fails the connector (e.g. bad task configs); sticky until restarted or reconfigured. */
  fail(error: unknown, what: string): void {
    this.failed = true;
    this.listener.onConnectorStatus(this.name, 'FAILED', traceOf(error, `Connector ${this.name} failed ${what}.`));
    this.logger.error(`connector failed ${what}: ${error instanceof Error ? error.message : String(error)}`, { connector: this.name });
  }

  private async startInstance(gen: number): Promise<void> {
    let instance: Connector;
    try {
      instance = this.plugin.createConnector();
    } catch (e) {
      this.fail(e, 'to instantiate');
      return;
    }
    this.instance = instance;
    const context = {
      requestTaskReconfiguration: () => this.listener.onTaskReconfigurationRequested(this.name),
      raiseError: (e: Error) => this.fail(e, 'with an error raised by the plugin'),
    };
    try {
      await invoke(() => instance.start(this.resolvedConfig, context));
    } catch (e) {
      if (gen === this.generation) this.fail(e, 'to start');
      return;
    }
    if (gen !== this.generation) {
      // Superseded while starting (paused, stopped or deleted): undo quietly.
      void settleWithin(invoke(() => instance.stop()), this.timeoutMs);
      return;
    }
    this.started = true;
    this.listener.onConnectorStatus(this.name, 'RUNNING');
    this.logger.info('connector started', { connector: this.name });
    this.listener.onConnectorStarted(this.name);
  }

  private async stopInstance(): Promise<void> {
    const instance = this.instance;
    const wasStarted = this.started;
    this.started = false;
    this.instance = undefined;
    if (!instance || !wasStarted) return;
    const r = await settleWithin(invoke(() => instance.stop()), this.timeoutMs);
    if (!r.settled) this.logger.warn('connector did not stop within the timeout; abandoning it', { connector: this.name, timeout_ms: this.timeoutMs });
    else if ('error' in r) this.logger.warn(`connector stop failed: ${r.error instanceof Error ? r.error.message : String(r.error)}`, { connector: this.name });
  }
}
