/**
 * The standalone worker's config store: connector configs, target states and task configs, kept in memory and
 * persisted to `<data.dir>/connectors.json` on every change (atomically). Unlike Kafka Connect's standalone mode,
 * a restarted worker therefore comes back with its connectors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectorConfig, TargetState } from '../../herder/types.js';
import { writeFileAtomic } from './atomic-file.js';

export interface StoredConnector {
  config: ConnectorConfig;
  targetState: TargetState;
  /** Task configs as last generated; empty when STOPPED or not yet generated. */
  taskConfigs: ConnectorConfig[];
}

interface FileShape {
  version: 1;
  connectors: Record<string, StoredConnector>;
}

export class FileConfigStore {
  private readonly path: string;
  private readonly connectors = new Map<string, StoredConnector>();
  private writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'connectors.json');
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return; // first start
    }
    const parsed = JSON.parse(text) as FileShape;
    for (const [name, c] of Object.entries(parsed.connectors ?? {})) this.connectors.set(name, c);
  }

  names(): string[] {
    return [...this.connectors.keys()].sort();
  }

  get(name: string): StoredConnector | undefined {
    return this.connectors.get(name);
  }

  /** Replaces a connector's record and persists; resolves once the file is durable. */
  async put(name: string, value: StoredConnector): Promise<void> {
    this.connectors.set(name, structuredClone(value));
    await this.persist();
  }

  async remove(name: string): Promise<void> {
    this.connectors.delete(name);
    await this.persist();
  }

  /** Writes are chained so the file always ends with the latest state, in order. */
  private persist(): Promise<void> {
    const snapshot: FileShape = { version: 1, connectors: Object.fromEntries(this.connectors) };
    const text = JSON.stringify(snapshot, null, 1);
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.path, text));
    return this.writing;
  }
}
