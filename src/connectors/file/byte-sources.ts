/**
 * The two inputs of FileStreamSource: a file read at an explicit byte position (so a stored offset is a plain seek),
 * and a stream (stdin) whose chunks are queued as they arrive, with backpressure.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ByteSource } from './line-buffer.js';

/** A file read from a given byte position onwards; reads at the end of the file resolve 0 until it grows. */
export class FileByteSource implements ByteSource {
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private position: number,
  ) {}

  /** Opens `path` for reading from `position`. Rejects like fs.open (ENOENT when the file does not exist yet). */
  static async open(path: string, position: number): Promise<FileByteSource> {
    return new FileByteSource(await open(path, 'r'), position);
  }

  async read(target: Buffer, offset: number, length: number): Promise<number> {
    if (this.closed) return 0;
    const { bytesRead } = await this.handle.read(target, offset, length, this.position);
    this.position += bytesRead;
    return bytesRead;
  }

  /** Closes the file (after any read in flight). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** A readable stream (stdin) buffered up to `highWaterMark` bytes; the stream is paused above that. */
export class StreamByteSource implements ByteSource {
  /** Called when data arrives, so that an idle poll can stop waiting early. */
  onData: (() => void) | undefined;
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly stream: Readable,
    private readonly highWaterMark = 4 * 1024 * 1024,
  ) {
    stream.on('data', this.handleData);
    stream.on('error', this.handleError);
  }

  private readonly handleData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.chunks.push(bytes);
    this.queued += bytes.length;
    if (this.queued >= this.highWaterMark) this.stream.pause();
    this.onData?.();
  };

  private readonly handleError = (error: Error): void => {
    this.failure = error;
    this.onData?.();
  };

  /** Copies queued bytes; resolves 0 when none are queued. Rejects when the stream failed. */
  async read(target: Buffer, offset: number, length: number): Promise<number> {
    if (this.failure) throw this.failure;
    let n = 0;
    while (n < length && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, length - n);
      chunk.copy(target, offset + n, 0, take);
      n += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    this.queued -= n;
    if (!this.closed && this.queued < this.highWaterMark && this.stream.isPaused()) this.stream.resume();
    return n;
  }

  /** Stops listening and pauses the stream (it is not destroyed: stdin belongs to the process). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('data', this.handleData);
    this.stream.off('error', this.handleError);
    this.stream.pause();
  }
}
