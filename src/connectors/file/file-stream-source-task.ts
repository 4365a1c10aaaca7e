/**
 * FileStreamSourceTask: reads lines from a file (or stdin) as Kafka Connect's task of the same name does. Each line
 * becomes a record with a STRING value and a null key; the source partition is `{filename}` and the offset
 * `{position}`, the byte position just after the line, so a restarted task resumes exactly after the last committed
 * line. For speed the file is read in large chunks and split natively (see LineBuffer).
 */
import type { Readable } from 'node:stream';
import { STRING_SCHEMA } from '../../plugins/connect-data.js';
import type { SourceRecord } from '../../plugins/connect-data.js';
import type { SourceTask, SourceTaskContext } from '../../plugins/plugin.js';
import { assertValidConfig, javaTrim } from '../../plugins/config-validation.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { FileByteSource, StreamByteSource } from './byte-sources.js';
import { LineBuffer } from './line-buffer.js';
import type { ByteSource } from './line-buffer.js';
import { FILE_STREAM_SOURCE_CONFIG } from './file-stream-config.js';

export interface FileStreamSourceTaskOptions {
  /** How long an idle poll waits for data (or for the file to appear) before returning null. Default 1000 ms. */
  idleWaitMs?: number;
  /** Bytes read per read call. Default 1 MiB. */
  chunkSize?: number;
  /** The stream read when `file` is empty. Default process.stdin. */
  stdin?: Readable;
}

/** The position stored for a partition: a non-negative integer or absent. Throws like Connect on anything else. */
function storedPosition(offset: Record<string, unknown> | null): number {
  const position = offset?.['position'];
  if (position === undefined || position === null) return 0;
  const n = typeof position === 'bigint' ? Number(position) : position;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new PluginError('PIPECTL_PLUGIN_FAILED', 'Offset position is the incorrect type');
  return n;
}

export class FileStreamSourceTask implements SourceTask {
  private readonly idleWaitMs: number;
  private readonly chunkSize: number;
  private topic = '';
  private batchSize = 2000;
  /** null: stdin (offsets are not tracked). */
  private filename: string | null = null;
  private partition: Record<string, unknown> | null = null;
  private context: SourceTaskContext | undefined;
  private source: ByteSource | undefined;
  private lines: LineBuffer | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: FileStreamSourceTaskOptions = {}) {
    this.idleWaitMs = options.idleWaitMs ?? 1000;
    this.chunkSize = options.chunkSize ?? 1024 * 1024;
  }

  /** Throws when the config is invalid (missing or empty `topic`, non-integer `batch.size`). */
  start(config: Readonly<Record<string, string>>, context: SourceTaskContext): void {
    assertValidConfig(FILE_STREAM_SOURCE_CONFIG, config);
    this.context = context;
    this.topic = javaTrim(config['topic']!);
    // Connect accepts any int here; a batch size below 1 behaves as 1 there too (the check is "size >= batchSize").
    this.batchSize = Math.max(1, Number(javaTrim(config['batch.size'] ?? '2000')));
    const file = javaTrim(config['file'] ?? '');
    this.filename = file === '' ? null : file;
    this.partition = this.filename === null ? null : Object.freeze({ filename: this.filename });
    if (this.filename === null) {
      const stdin = new StreamByteSource(this.options.stdin ?? process.stdin);
      stdin.onData = () => this.wake?.();
      this.source = stdin;
      this.lines = new LineBuffer(0, this.chunkSize);
    }
  }

  /**
   * Up to `batch.size` records. When there is no complete line yet (or the file does not exist yet) it waits up to
   * `idleWaitMs` and resolves null; stop() cuts that wait short. A partial last line is held back until its newline
   * arrives. Rejects when the stored offset is malformed or the file cannot be read.
   */
  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped || !this.context) return null;
    if (!this.source && !(await this.openFile())) {
      await this.idle();
      return null;
    }
    const source = this.source!;
    const lines = this.lines!;
    const records: SourceRecord[] = [];
    const timestamp = Date.now();
    const { topic, partition, batchSize } = this;
    const tracked = this.filename !== null;
    while (records.length < batchSize) {
      const value = lines.next();
      if (value !== null) {
        records.push({
          topic,
          keySchema: null,
          key: null,
          valueSchema: STRING_SCHEMA,
          value,
          timestamp,
          sourcePartition: partition,
          sourceOffset: tracked ? { position: lines.position } : null,
        });
        continue;
      }
      const n = await lines.fill(source);
      if (this.stopped) return null;
      if (n === 0) break;
    }
    if (records.length > 0) return records;
    await this.idle();
    return null;
  }

  /** Makes a pending poll return promptly and closes the input. Idempotent; safe before start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const source = this.source;
    this.source = undefined;
    await source?.close();
  }

  /** Opens the file at its stored position; false when it does not exist yet (or stop() came meanwhile). */
  private async openFile(): Promise<boolean> {
    const filename = this.filename!;
    const position = storedPosition(this.context!.offsetStorageReader.offset({ filename }));
    let source: FileByteSource;
    try {
      source = await FileByteSource.open(filename, position);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    if (this.stopped) {
      await source.close();
      return false;
    }
    this.source = source;
    this.lines = new LineBuffer(position, this.chunkSize);
    return true;
  }

  /** Waits up to idleWaitMs, or until stop() (or stdin data) calls `wake`. */
  private idle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.idleWaitMs);
      this.wake = done;
    });
  }
}
