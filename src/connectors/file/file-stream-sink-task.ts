/**
 * FileStreamSinkTask: appends one line per record to a file (or stdout when `file` is empty), like Kafka Connect's
 * task of the same name. Each put() batch goes to the OS in one append; flush() resolves once every batch put so far
 * has been written (it is then in the OS page cache and survives the process being killed; no fsync, as in Connect).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { SinkRecord } from '../../plugins/connect-data.js';
import type { SinkTask } from '../../plugins/plugin.js';
import { assertValidConfig, javaTrim } from '../../plugins/config-validation.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { InternalError } from '../../diag/internal-error.js';
import { FILE_STREAM_SINK_CONFIG } from './file-stream-config.js';

export interface FileStreamSinkTaskOptions {
  /** Where lines go when `file` is empty. Default process.stdout. */
  stdout?: Writable;
}

/**
 * The text written for a record value. Connect prints `String.valueOf(value)`: strings as they are, null as "null",
 * numbers and booleans as text. Bytes are decoded as UTF-8; structs, maps and arrays are written as JSON (Java's
 * toString forms such as `Struct{a=1}` have no useful equivalent here).
 */
/** JSON for values JSON.stringify cannot show: bigints as digits, Maps (non-string keys) as [key, value] pairs. */
function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Map) return [...v.entries()];
  return v;
}

export function lineFor(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value, jsonSafe) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

export class FileStreamSinkTask implements SinkTask {
  private handle: FileHandle | undefined;
  private out: Writable | undefined;
  /** The last write in order; a failed write makes every later put and flush fail too (nothing is written out of order). */
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileStreamSinkTaskOptions = {}) {}

  /** Opens (creating if needed) the file for appending. Throws when it cannot be opened or created. */
  async start(config: Readonly<Record<string, string>>): Promise<void> {
    assertValidConfig(FILE_STREAM_SINK_CONFIG, config);
    const filename = javaTrim(config['file'] ?? '');
    if (filename === '') {
      this.out = this.options.stdout ?? process.stdout;
      return;
    }
    try {
      this.handle = await open(filename, 'a');
    } catch (e) {
      throw new PluginError('PIPECTL_PLUGIN_FAILED', `Couldn't find or create file '${filename}' for FileStreamSinkTask`, { cause: e });
    }
  }

  /** Appends `lineFor(value) + "\n"` per record, the whole batch in one write; resolves once it is written. */
  put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return this.pending;
    let text = '';
    for (const r of records) text += `${lineFor(r.value)}\n`;
    const data = Buffer.from(text, 'utf8');
    this.pending = this.pending.then(() => this.write(data));
    return this.pending;
  }

  /** Resolves once everything put so far has been handed to the OS; rejects if any of it failed. */
  flush(): Promise<void> {
    return this.pending;
  }

  /** Waits for writes in flight, then closes the file (stdout is left open). Idempotent. */
  async stop(): Promise<void> {
    await this.pending.catch(() => undefined);
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async write(data: Buffer): Promise<void> {
    if (this.out) {
      const out = this.out;
      await new Promise<void>((resolve, reject) => out.write(data, (e) => (e ? reject(e) : resolve())));
      return;
    }
    if (!this.handle) throw new InternalError('FileStreamSinkTask is not started, or already stopped'); // the worker calls put() only between start() and stop()
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }
}
