/**
 * The standalone worker's config store: connector configs, target states and task configs, kept in memory and
 * persisted under `<data.dir>/connectors/`, one file per connector, written atomically on every change — so a change
 * costs one small write however many connectors there are. Unlike Kafka Connect's standalone mode, a restarted worker
 * therefore comes back with its connectors.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectorConfig, TargetState } from '../../herder/types.js';
import { writeFileAtomic } from './atomic-file.js';

export interface StoredConnector {
  config: ConnectorConfig;
  targetState: TargetState;
  /** Task configs as last generated; empty when STOPPED or not yet generated. */
  taskConfigs: ConnectorConfig[];
}

interface FileShape extends StoredConnector {
  version: 1;
  name: string;
}

export class FileConfigStore {
  private readonly dir: string;
  private readonly connectors = new Map<string, StoredConnector>();
  /** Per connector, the last write in order, so its file always ends with the latest state. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'connectors');
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue; // leftovers of an interrupted write end in .tmp
      const parsed = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as FileShape;
      this.connectors.set(parsed.name, { config: parsed.config, targetState: parsed.targetState, taskConfigs: parsed.taskConfigs });
    }
  }

  names(): string[] {
    return [...this.connectors.keys()].sort();
  }

  get(name: string): StoredConnector | undefined {
    return this.connectors.get(name);
  }

  /** Replaces a connector's record and persists it; resolves once the file is durable. */
  put(name: string, value: StoredConnector): Promise<void> {
    const copy = structuredClone(value);
    this.connectors.set(name, copy);
    const text = JSON.stringify({ version: 1, name, ...copy } satisfies FileShape, null, 1);
    return this.chain(name, () => writeFileAtomic(this.fileOf(name), text));
  }

  remove(name: string): Promise<void> {
    this.connectors.delete(name);
    return this.chain(name, () => rm(this.fileOf(name), { force: true }));
  }

  private chain(name: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(name) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.writes.set(name, next);
    void next.finally(() => {
      if (this.writes.get(name) === next) this.writes.delete(name);
    });
    return next;
  }

  /** File names are the connector name, percent-encoded (names may hold any character but "/"). */
  private fileOf(name: string): string {
    return join(this.dir, `${encodeURIComponent(name)}.json`);
  }
}
