/**
 * The distributed config store (ClusterConfigStore, config-store.ts; Connect's KafkaConfigBackingStore): connector
 * configs, task configs, target states and restart requests on the config topic (one partition), shared by every
 * worker of the cluster. Record formats: config-records.ts.
 *
 * Read side: each record updates the in-memory state as Connect's ConsumeCallback does — connector configs apply at
 * once; task configs are buffered per connector until its `commit-<name>` record, which applies them only when task
 * ids 0..N-1 are all present (else the connector is marked inconsistent). Listeners fire only for records read after
 * start() completed. The store's `offset` is the last consumed offset + 1 (Connect's config offset).
 *
 * Sensitive values: the config topic holds the RAW connector configs, `${env:…}`/`${file:…}` references unresolved,
 * exactly as submitted. Resolved secret values must never be written here: every worker (and anyone who can read the
 * topic) sees it. The worker resolves references only when it hands a config to the plugin.
 */
import type { ConnectorConfig, RestartRequest, TargetState } from '../../../herder/types.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { ClusterConfigStore, ConfigChangeListener, SessionKey } from './config-store.js';
import { Snapshot, type ConfigSnapshot } from './config-snapshot.js';
import {
  Malformed, SESSION_KEY, commitKey, connectorKey, decodeCommit, decodeProperties, decodeRestartRequest, decodeSessionKey, decodeTargetState, encodeCommit,
  encodeProperties, encodeRestartRequest, encodeSessionKey, encodeTargetState, parseConfigKey, restartKey, targetStateKey, taskKey,
} from './config-records.js';
import { REACHABLE, decodeInternal, type InternalLog, type InternalLogRecord, type InternalLogWrite, type LogHealth } from '../kafka-topics/internal-log.js';
import { DEFAULT_STORE_TIMEOUT_MS, assertStarted, readStep, realSleep, withinBudget, writeStep, type Budget, type Sleep } from '../kafka-topics/store-error.js';

export type { ConfigSnapshot };

export interface KafkaConfigStoreOptions {
  /** The config topic (one partition). The store starts and stops it. */
  log: InternalLog;
  logger?: Logger;
  listener?: ConfigChangeListener;
  /** Budget of each write or refresh, all its steps included (default 30 000, Connect's READ_WRITE_TOTAL_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The clock of that budget (tests inject one). */
  sleep?: Sleep;
}

type TaskMap = Map<number, ConnectorConfig>;

export class KafkaConfigStore implements ClusterConfigStore {
  private readonly log: InternalLog;
  private readonly logger: Logger;
  private readonly budget: Budget;
  private listener: ConfigChangeListener | undefined;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private offset = -1;
  private readonly configs = new Map<string, ConnectorConfig>();
  private readonly targetStates = new Map<string, TargetState>();
  private readonly taskCounts = new Map<string, number>();
  private readonly tasks = new Map<string, TaskMap>();
  private readonly deferred = new Map<string, TaskMap>();
  private readonly inconsistent = new Set<string>();
  /** The last task-config write, which the next one waits for (see putTaskConfigs). */
  private taskConfigWrites: Promise<void> = Promise.resolve();
  private readonly generations = new Map<string, number>();
  private readonly applied = new Map<string, ConnectorConfig>();
  private sessionKey: SessionKey | undefined;
  private snapshot: ConfigSnapshot | undefined;

  constructor(options: KafkaConfigStoreOptions) {
    this.log = options.log;
    this.logger = options.logger ?? silentLogger;
    this.listener = options.listener;
    this.budget = { timeoutMs: options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, sleep: options.sleep ?? realSleep };
  }

  /** The herder's callbacks (Connect's setUpdateListener); they fire only for records read after start(). */
  setListener(listener: ConfigChangeListener | undefined): void {
    this.listener = listener;
  }

  /** Reads the whole topic (no listener calls for it), then follows it. Rejects when the log cannot be read. */
  async start(): Promise<void> {
    await this.log.start((r) => this.onRecord(r));
    if (this.state === 'new') this.state = 'started';
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    await this.log.stop();
  }

  /** An immutable view of the current state; the same object until the next record is read. */
  view(): ConfigSnapshot {
    this.snapshot ??= new Snapshot({
      offset: this.offset, configs: new Map(this.configs), targetStates: new Map(this.targetStates), taskCounts: new Map(this.taskCounts),
      tasks: new Map([...this.tasks].map(([name, m]) => [name, new Map(m)])), inconsistent: new Set(this.inconsistent),
      generations: new Map(this.generations), applied: new Map(this.applied), sessionKey: this.sessionKey,
    });
    return this.snapshot;
  }

  /** Whether the config topic has been readable lately (see LogHealth). */
  health(): LogHealth {
    return this.log.health?.() ?? REACHABLE;
  }

  /** Reads to the end: every record acknowledged before the call is in view() afterwards. */
  async refresh(): Promise<void> {
    assertStarted(this.state, 'config store');
    await withinBudget('reading the config topic', this.budget, (signal) => readStep('reading the config topic', signal, () => this.log.readToEnd()));
  }

  /** Writes the target state first when given, then the config, and reads them back. Throws StoreError. */
  async putConnectorConfig(name: string, config: ConnectorConfig, targetState?: TargetState): Promise<void> {
    const records: InternalLogWrite[] = [];
    if (targetState) records.push(record(targetStateKey(name), encodeTargetState(targetState)));
    records.push(record(connectorKey(name), encodeProperties(config)));
    await this.writeThenRead(`writing the config of connector "${name}"`, records);
  }

  /** Tombstones for the connector's config and target state, read back. Throws StoreError. */
  async removeConnector(name: string): Promise<void> {
    await this.writeThenRead(`removing connector "${name}"`, [record(connectorKey(name), null), record(targetStateKey(name), null)]);
  }

  /**
   * Reads to the end, writes task records 0..N-1, reads to the end (when N > 0), writes `commit-<name>` {"tasks":N}
   * and reads to the end: the tasks become visible together at the commit. Throws StoreError.
   */
  async putTaskConfigs(name: string, configs: readonly ConnectorConfig[]): Promise<void> {
    assertStarted(this.state, 'config store');
    // One write at a time: two interleaved (task-0, task-0, task-1, task-1, commit, commit) leave the second commit
    // without its tasks, and the connector inconsistent — without tasks — until its task configs are written again.
    // The leader answers forwarded requests concurrently; Connect's herder thread writes one at a time.
    const write = this.taskConfigWrites.then(() => this.writeTaskConfigs(name, configs));
    this.taskConfigWrites = write.catch(() => undefined);
    return write;
  }

  private async writeTaskConfigs(name: string, configs: readonly ConnectorConfig[]): Promise<void> {
    const what = `writing the task configs of connector "${name}"`;
    await withinBudget(what, this.budget, async (signal) => {
      await readStep(what, signal, () => this.log.readToEnd());
      if (configs.length > 0) {
        await writeStep(what, signal, () => this.log.send(configs.map((c, i) => record(taskKey(name, i), encodeProperties(c)))));
        await readStep(what, signal, () => this.log.readToEnd());
      }
      await writeStep(what, signal, () => this.log.send([record(commitKey(name), encodeCommit(configs.length))]));
      await readStep(what, signal, () => this.log.readToEnd());
    });
  }

  /** Writes a target state; resolves once acknowledged (not read back, as in Connect). Throws StoreError. */
  async putTargetState(name: string, state: TargetState): Promise<void> {
    assertStarted(this.state, 'config store');
    const what = `writing the target state of connector "${name}"`;
    await withinBudget(what, this.budget, (signal) => writeStep(what, signal, () => this.log.send([record(targetStateKey(name), encodeTargetState(state))])));
  }

  /** Writes a restart request (handled by the connector's owner through onRestartRequest) and reads it back. */
  async putRestartRequest(request: RestartRequest): Promise<void> {
    await this.writeThenRead(`writing a restart request for connector "${request.connector}"`, [record(restartKey(request.connector), encodeRestartRequest(request))]);
  }

  /** Writes the session key record (KIP-507; the leader only) and reads it back. Throws StoreError. */
  async putSessionKey(key: SessionKey): Promise<void> {
    await this.writeThenRead('writing the session key', [record(SESSION_KEY, encodeSessionKey(key))]);
  }

  private async writeThenRead(what: string, records: InternalLogWrite[]): Promise<void> {
    assertStarted(this.state, 'config store');
    await withinBudget(what, this.budget, async (signal) => {
      await writeStep(what, signal, () => this.log.send(records));
      await readStep(what, signal, () => this.log.readToEnd());
    });
  }

  private onRecord(r: InternalLogRecord): void {
    this.snapshot = undefined;
    if (r.key === null) {
      this.offset = r.offset + 1;
      return this.skip(r, 'the key is null');
    }
    const key = r.key.toString('utf8');
    let value: unknown;
    try {
      value = decodeInternal(r.value);
    } catch (e) {
      return this.skip(r, `the value is not JSON: ${(e as Error).message}`, key); // not consumed: offset unchanged, as Connect
    }
    this.offset = r.offset + 1;
    const parsed = parseConfigKey(key);
    if (!parsed) return this.skip(r, 'unknown key', key);
    switch (parsed.kind) {
      case 'target-state': return this.onTargetState(parsed.connector, value, r, key);
      case 'connector': return this.onConnector(parsed.connector, value, r, key);
      case 'task': return this.onTask(parsed.connector, parsed.task, value, r, key);
      case 'commit': return this.onCommit(parsed.connector, value, r, key);
      case 'restart': return this.onRestart(parsed.connector, value, r, key);
      case 'session-key': return this.onSessionKey(value, r, key);
      case 'ignored': return;
    }
  }

  private onTargetState(name: string, value: unknown, r: InternalLogRecord, key: string): void {
    if (value === null) {
      // A tombstone comes with a connector removal, whose own callback tells the herder.
      this.targetStates.delete(name);
      if (this.configs.has(name)) this.targetStates.set(name, 'STARTED');
      return;
    }
    const state = decodeTargetState(value);
    if (state instanceof Malformed) return this.skip(r, state.reason, key);
    const previous = this.targetStates.get(name);
    this.targetStates.set(name, state);
    // No call for a connector not created yet (an initial state is written before the config).
    if (previous !== state && this.configs.has(name)) this.notify((l) => l.onTargetState(name));
  }

  private onConnector(name: string, value: unknown, r: InternalLogRecord, key: string): void {
    if (value === null) {
      this.removeState(name);
      return this.notify((l) => l.onConnectorRemoved(name));
    }
    const config = decodeProperties(value);
    if (config instanceof Malformed) return this.skip(r, config.reason, key);
    this.configs.set(name, config);
    if (!this.targetStates.has(name)) this.targetStates.set(name, 'STARTED');
    this.notify((l) => l.onConnectorConfig(name));
  }

  private onTask(name: string, task: number, value: unknown, r: InternalLogRecord, key: string): void {
    const config = value === null ? new Malformed('a task config tombstone') : decodeProperties(value);
    if (config instanceof Malformed) return this.skip(r, config.reason, key);
    let buffered = this.deferred.get(name);
    if (!buffered) this.deferred.set(name, (buffered = new Map()));
    buffered.set(task, config);
  }

  private onCommit(name: string, value: unknown, r: InternalLogRecord, key: string): void {
    const config = this.configs.get(name);
    if (!config) {
      // Compaction removed both the config and its tombstone: the connector was deleted; drop what is left.
      this.removeState(name);
      return;
    }
    const count = decodeCommit(value);
    if (count instanceof Malformed) return this.skip(r, count.reason, key);
    const buffered = this.deferred.get(name);
    let complete = true;
    for (let i = 0; i < count && complete; i++) complete = buffered?.has(i) ?? false;
    if (!complete) {
      this.inconsistent.add(name);
      this.logger.warn('config topic: incomplete task configs at commit, the connector is inconsistent until its tasks are rewritten', { connector: name, tasks: count });
    } else {
      if (buffered) {
        let applied = this.tasks.get(name);
        if (!applied) this.tasks.set(name, (applied = new Map()));
        for (const [id, c] of buffered) applied.set(id, c);
        this.generations.set(name, (this.generations.get(name) ?? -1) + 1);
      }
      this.inconsistent.delete(name);
      this.applied.set(name, config);
    }
    buffered?.clear();
    this.taskCounts.set(name, count);
    this.notify((l) => l.onTaskConfigs(name));
  }

  private onRestart(name: string, value: unknown, r: InternalLogRecord, key: string): void {
    const request = decodeRestartRequest(name, value);
    if (request instanceof Malformed) return this.skip(r, request.reason, key);
    this.notify((l) => l.onRestartRequest(request)); // requests read during start() are dropped, as in Connect
  }

  /** A malformed record is skipped with an error (Connect logs one); the key bytes are never logged. */
  private onSessionKey(value: unknown, r: InternalLogRecord, key: string): void {
    const decoded = decodeSessionKey(value);
    if (decoded instanceof Malformed) {
      this.logger.error(`config topic: ignoring a session key record: ${decoded.reason}`, { key, partition: r.partition, offset: r.offset });
      return;
    }
    this.sessionKey = decoded;
    this.notify((l) => l.onSessionKey?.());
  }

  /** Connect's processConnectorRemoval (the target state goes with its own tombstone; the generation counter stays). */
  private removeState(name: string): void {
    this.configs.delete(name);
    this.taskCounts.delete(name);
    this.tasks.delete(name);
    this.deferred.delete(name);
    this.applied.delete(name);
    this.inconsistent.delete(name);
  }

  private notify(call: (l: ConfigChangeListener) => void): void {
    if (this.state !== 'started' || !this.listener) return;
    try {
      call(this.listener);
    } catch (e) {
      this.logger.error(`config topic: a config listener threw: ${(e as Error).message}`);
    }
  }

  private skip(r: InternalLogRecord, reason: string, key?: string): void {
    this.logger.warn(`config topic: ignoring a record: ${reason}`, { key: key ?? null, partition: r.partition, offset: r.offset });
  }
}

function record(key: string, value: Buffer | null): InternalLogWrite {
  return { key: Buffer.from(key, 'utf8'), value };
}
