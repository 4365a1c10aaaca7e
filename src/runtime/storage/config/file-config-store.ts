/**
 * The standalone worker's config store (StandaloneConfigStore, config-store.ts): connector configs, target states and
 * task configs, kept in memory and persisted under `<data.dir>/connectors/`, one file per connector, written
 * atomically on every change — so a change costs one small write however many connectors there are. Unlike Kafka Connect's standalone mode, a restarted worker
 * therefore comes back with its connectors.
 *
 * File names come from connectorFileName (bounded, valid everywhere). Files are read by content, whatever their name,
 * and a connector keeps the file it was read from, so records written by older versions (the percent-encoded name)
 * are still found and updated in place.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file.js';
import { connectorFileName } from './connector-file-name.js';
import { CorruptConnectorFileError, StoreWriteError } from './config-store-error.js';
import type { StandaloneConfigStore, StoredConnector } from './config-store.js';

interface FileShape extends StoredConnector {
  version: 1;
  name: string;
}

export class FileConfigStore implements StandaloneConfigStore {
  private readonly dir: string;
  private readonly connectors = new Map<string, StoredConnector>();
  /** The file (base name) of each connector: the one it was read from, or connectorFileName for a new one. */
  private readonly files = new Map<string, string>();
  /** Per connector, the last write in order, so its file always ends with the latest state. */
  private readonly writes = new Map<string, Promise<void>>();

  /** Reads every record; throws CorruptConnectorFileError (naming the file) for one that is not a connector record. */
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'connectors');
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir).sort()) {
      if (!file.endsWith('.json') || file.startsWith('.')) continue; // temp files of an interrupted write start with "."
      const path = join(this.dir, file);
      const parsed = readRecord(path);
      const other = this.files.get(parsed.name);
      if (other !== undefined) throw new CorruptConnectorFileError(path, `holds connector ${JSON.stringify(parsed.name)}, as ${join(this.dir, other)} does`);
      this.files.set(parsed.name, file);
      this.connectors.set(parsed.name, { config: parsed.config, targetState: parsed.targetState, taskConfigs: parsed.taskConfigs });
    }
  }

  names(): string[] {
    return [...this.connectors.keys()].sort();
  }

  get(name: string): StoredConnector | undefined {
    return this.connectors.get(name);
  }

  /**
   * Replaces a connector's record and persists it; resolves once the file is durable. Rejects with StoreWriteError
   * when the file cannot be written: the record in memory is then the previous one again (as on disk).
   */
  put(name: string, value: StoredConnector): Promise<void> {
    const copy = structuredClone(value);
    const text = JSON.stringify({ version: 1, name, ...copy } satisfies FileShape, null, 1);
    return this.change(name, copy, 'save', (path) => writeFileAtomic(path, text));
  }

  /** Deletes a connector's record. Rejects with StoreWriteError when the file cannot be deleted (the record stays). */
  remove(name: string): Promise<void> {
    return this.change(name, undefined, 'delete', (path) => rm(path, { force: true }));
  }

  private change(name: string, next: StoredConnector | undefined, action: 'save' | 'delete', write: (path: string) => Promise<void>): Promise<void> {
    const previous = this.connectors.get(name);
    const file = this.files.get(name) ?? connectorFileName(name);
    if (next) this.connectors.set(name, next);
    else this.connectors.delete(name);
    return this.chain(name, () => write(join(this.dir, file))).then(
      () => {
        if (next) this.files.set(name, file);
        else if (!this.connectors.has(name)) this.files.delete(name);
      },
      (err: unknown) => {
        // Undo in memory unless a later change of this connector has replaced ours meanwhile.
        if (this.connectors.get(name) === next) {
          if (previous) this.connectors.set(name, previous);
          else this.connectors.delete(name);
        }
        throw new StoreWriteError(name, action, err);
      },
    );
  }

  private chain(name: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(name) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.writes.set(name, next);
    const forget = (): void => {
      if (this.writes.get(name) === next) this.writes.delete(name);
    };
    next.then(forget, forget); // handles the rejection here too: the caller gets `next` and handles it
    return next;
  }
}

const TARGET_STATES: readonly string[] = ['STARTED', 'PAUSED', 'STOPPED'];

function readRecord(path: string): FileShape {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CorruptConnectorFileError(path, `cannot be read as JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = parsed as Partial<FileShape> | null;
  const stringMap = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
  if (
    typeof r !== 'object' || r === null || typeof r.name !== 'string' || r.name === '' || !stringMap(r.config) ||
    typeof r.targetState !== 'string' || !TARGET_STATES.includes(r.targetState) || !Array.isArray(r.taskConfigs) || !r.taskConfigs.every(stringMap)
  ) {
    throw new CorruptConnectorFileError(path, 'is not a connector record (expected {"version":1,"name","config","targetState","taskConfigs"})');
  }
  return r as FileShape;
}
