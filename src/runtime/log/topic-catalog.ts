/**
 * The topics of the embedded log and their partition logs. Layout under `<root>/topics/`:
 * `<topic>/topic.json` (written atomically, the commit point of a creation or a change) and
 * `<topic>/<partition>/*.log`. A topic directory without topic.json is an interrupted creation: ignored on load and
 * completed by the next create. Partition directories beyond topic.json's count are an interrupted partition increase
 * (they hold no records: nothing is produced to a partition before topic.json names it); the next increase reuses them.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, TEMP_SUFFIX, writeFileAtomic } from '../storage/files/atomic-file.js';
import { LogError } from './log-error.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import { PartitionLog } from './partition-log.js';
import type { FsyncPolicy } from './partition-log.js';
import type { LogDamage, RecoveryMode, TruncatedTail } from './segment-recovery.js';
import { resolveTopicConfig, validateTopicConfig } from './topic-config.js';
import type { TopicChanges, TopicDescription, TopicSettings } from '../data-plane/data-plane.js';

export const MAX_PARTITIONS = 10_000;

export interface CatalogOptions {
  root: string;
  fsync: FsyncPolicy;
  segmentBytes: number;
  indexIntervalBytes: number;
  onDirty: (log: PartitionLog) => void;
  /** What to do with damage found on load (default 'refuse'; see segment-recovery.ts). */
  recovery?: RecoveryMode;
}

/** What loading found: torn tails cut, and (in mode 'repair') damage cut. */
export interface RecoveryFindings {
  truncated: TruncatedTail[];
  repaired: LogDamage[];
}

export interface Topic {
  description: TopicDescription;
  partitions: PartitionLog[];
}

interface TopicFile {
  version: 1;
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

/** Why Kafka would reject the name, or undefined when it is valid. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a topic name cannot be empty';
  if (name === '.' || name === '..') return `a topic cannot be named "${name}"`;
  if (name.length > 249) return `topic name "${name.slice(0, 40)}…" is longer than 249 characters`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return `topic name "${name}" may only contain a-z, A-Z, 0-9, '.', '_' and '-'`;
  return undefined;
}

export class TopicCatalog {
  private readonly topics = new Map<string, Topic>();
  private readonly creating = new Map<string, Promise<boolean>>();
  /** The last change of each topic being changed: changes of one topic run one after the other. */
  private readonly altering = new Map<string, Promise<unknown>>();
  private readonly dir: string;

  constructor(private readonly options: CatalogOptions) {
    this.dir = join(options.root, 'topics');
  }

  /** Loads and recovers every topic; returns what recovery cut. Throws LogDamageError for damage in mode 'refuse'. */
  async load(): Promise<RecoveryFindings> {
    await mkdir(this.dir, { recursive: true });
    const truncated: RecoveryFindings = { truncated: [], repaired: [] };
    for (const name of (await readdir(this.dir)).sort()) {
      if (topicNameProblem(name)) continue;
      const topicDir = join(this.dir, name);
      for (const entry of await readdir(topicDir)) if (entry.endsWith(TEMP_SUFFIX)) await unlink(join(topicDir, entry));
      let text: string;
      try {
        text = await readFile(join(topicDir, 'topic.json'), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const file = parseTopicFile(text, topicDir);
      const topic = await this.openPartitions(file, truncated);
      this.topics.set(name, topic);
    }
    return truncated;
  }

  private async openPartitions(file: TopicFile, truncated: RecoveryFindings): Promise<Topic> {
    const logs = await this.openPartitionRange(file, 0, truncated);
    return {
      description: { name: file.name, partitions: file.partitions, replicationFactor: file.replicationFactor, config: { ...file.config } },
      partitions: logs,
    };
  }

  /** Opens (creating when missing) partitions `from`..`file.partitions - 1`; all or none (closed again on failure). */
  private async openPartitionRange(file: TopicFile, from: number, truncated: RecoveryFindings): Promise<PartitionLog[]> {
    const config = resolveTopicConfig(file.config, this.options.segmentBytes);
    const opened = await Promise.allSettled(
      Array.from({ length: file.partitions - from }, (_, i) => from + i).map((partition) =>
        PartitionLog.open(
          {
            dir: join(this.dir, file.name, String(partition)),
            topic: file.name,
            partition,
            fsync: this.options.fsync,
            indexIntervalBytes: this.options.indexIntervalBytes,
            onDirty: this.options.onDirty,
            recovery: this.options.recovery ?? 'refuse',
          },
          config,
        ),
      ),
    );
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const logs = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (failed) {
      await Promise.all(logs.map((r) => r.log.close()));
      throw failed.reason;
    }
    for (const r of logs) {
      if (r.truncated) truncated.truncated.push(r.truncated);
      if (r.repaired) truncated.repaired.push(r.repaired);
    }
    return logs.map((r) => r.log);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  /** Topics sorted by name. */
  list(): Topic[] {
    return [...this.topics.values()].sort((a, b) => (a.description.name < b.description.name ? -1 : 1));
  }

  /**
   * Creates a topic durably; resolves false if it already exists (settings are not compared). Concurrent creates of
   * one name share the work. Throws DataPlaneError(PIPECTL_LOG_INVALID_TOPIC | PIPECTL_LOG_INVALID_ARGUMENT).
   */
  create(name: string, settings: TopicSettings): Promise<boolean> {
    if (this.topics.has(name)) return Promise.resolve(false);
    const pending = this.creating.get(name);
    if (pending) return pending.then(() => false);
    const creation = this.doCreate(name, settings).finally(() => this.creating.delete(name));
    this.creating.set(name, creation);
    return creation;
  }

  private async doCreate(name: string, settings: TopicSettings): Promise<boolean> {
    const problem = topicNameProblem(name);
    if (problem) throw new DataPlaneError('PIPECTL_LOG_INVALID_TOPIC', problem);
    const { partitions, replicationFactor = 1, config = {} } = settings;
    if (!Number.isSafeInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${partitions}`);
    }
    if (!Number.isSafeInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": replicationFactor must be a positive integer or -1`);
    }
    const problems = validateTopicConfig(config);
    if (problems.length > 0) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": ${problems.join('; ')}`);
    const file: TopicFile = { version: 1, name, partitions, replicationFactor: replicationFactor === -1 ? 1 : replicationFactor, config: { ...config } };
    const topicDir = join(this.dir, name);
    await mkdir(topicDir, { recursive: true });
    const topic = await this.openPartitions(file, { truncated: [], repaired: [] });
    try {
      await writeFileAtomic(join(topicDir, 'topic.json'), `${JSON.stringify(file, null, 2)}\n`);
      await fsyncDirectory(this.dir);
    } catch (err) {
      await Promise.all(topic.partitions.map((p) => p.close()));
      throw err;
    }
    this.topics.set(name, topic);
    return true;
  }

  /**
   * Adds partitions and/or changes the config of a topic, durably (topic.json is rewritten atomically after the new
   * partition directories exist); resolves true when partitions were added. Changes of one topic are serialised.
   * Throws DataPlaneError: PIPECTL_LOG_UNKNOWN_TOPIC; PIPECTL_LOG_INVALID_ARGUMENT for fewer partitions than the topic has,
   * more than MAX_PARTITIONS, or an invalid config value (then nothing is changed).
   */
  alter(name: string, changes: TopicChanges): Promise<boolean> {
    const previous = this.altering.get(name) ?? Promise.resolve();
    const change = previous.catch(() => undefined).then(() => this.doAlter(name, changes));
    this.altering.set(name, change);
    void change.catch(() => undefined).finally(() => {
      if (this.altering.get(name) === change) this.altering.delete(name);
    });
    return change;
  }

  private async doAlter(name: string, changes: TopicChanges): Promise<boolean> {
    const topic = this.topics.get(name);
    if (!topic) throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_TOPIC', `topic "${name}" does not exist`);
    const current = topic.description;
    const partitions = changes.partitions ?? current.partitions;
    if (!Number.isSafeInteger(partitions) || partitions > MAX_PARTITIONS) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": partitions must be an integer from ${current.partitions} to ${MAX_PARTITIONS}, got ${partitions}`);
    }
    if (partitions < current.partitions) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}" has ${current.partitions} partitions; the count can only grow (Kafka cannot remove partitions), got ${partitions}`);
    }
    const config: Record<string, string> = { ...current.config };
    for (const [key, value] of Object.entries(changes.config ?? {})) {
      if (value === null) delete config[key];
      else config[key] = value;
    }
    const problems = validateTopicConfig(config);
    if (problems.length > 0) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": ${problems.join('; ')}`);
    const file: TopicFile = { version: 1, name, partitions, replicationFactor: current.replicationFactor, config: sortedKeys(config) };
    const added = await this.openPartitionRange(file, current.partitions, { truncated: [], repaired: [] });
    try {
      await writeFileAtomic(join(this.dir, name, 'topic.json'), `${JSON.stringify(file, null, 2)}\n`);
    } catch (err) {
      await Promise.all(added.map((p) => p.close()));
      throw err;
    }
    const resolved = resolveTopicConfig(file.config, this.options.segmentBytes);
    for (const p of topic.partitions) p.reconfigure(resolved);
    // In place: produce and consumers look partitions up through this object.
    topic.partitions.push(...added);
    topic.description = { name, partitions, replicationFactor: file.replicationFactor, config: { ...file.config } };
    return added.length > 0;
  }

  /** Closes every partition (queued appends finish first). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.creating.values(), ...this.altering.values()]);
    await Promise.all([...this.topics.values()].flatMap((t) => t.partitions.map((p) => p.close())));
  }
}

function sortedKeys(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]!]));
}

function parseTopicFile(text: string, dir: string): TopicFile {
  let file: TopicFile;
  try {
    file = JSON.parse(text) as TopicFile;
  } catch (err) {
    throw new LogError('PIPECTL_LOG_CORRUPT', `${join(dir, 'topic.json')} is not valid JSON`, { cause: err });
  }
  if (file.version !== 1 || typeof file.name !== 'string' || !Number.isSafeInteger(file.partitions) || file.partitions < 1) {
    throw new LogError('PIPECTL_LOG_CORRUPT', `${join(dir, 'topic.json')} has an unknown shape`);
  }
  file.config ??= {};
  file.replicationFactor ??= 1;
  return file;
}
