/**
 * Splits a byte stream into UTF-8 lines the way Kafka Connect's FileStreamSourceTask does — a line ends at `\n`, `\r`
 * or `\r\n` — while tracking the byte position after each line (the source offset). It works on raw bytes with
 * native searches (Buffer.indexOf), so positions are exact for multi-byte characters and no per-byte JS loop runs.
 *
 * A line is only returned once its terminator has been seen. A `\r` that is the last byte available is held back
 * until the next byte shows whether it is `\r\n` (Connect does the same).
 */

/** Where bytes come from: a file (read at its own position) or a stream such as stdin. */
export interface ByteSource {
  /** Reads up to `length` bytes into `target` at `offset`; resolves 0 when nothing is available right now. */
  read(target: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

const LF = 10;
const CR = 13;
/** Cached search result meaning "not searched since the last fill". */
const UNKNOWN = -2;

export class LineBuffer {
  private buf: Buffer;
  /** The bytes [0, end) of buf, for bounded searches. */
  private view: Buffer;
  private start = 0;
  private end = 0;
  private nextLf = UNKNOWN;
  private nextCr = UNKNOWN;

  /**
   * @param position byte position in the stream of the first byte that will be filled in (the stored offset).
   * @param chunkSize bytes asked for per read; the buffer grows beyond it only for a longer line.
   */
  constructor(
    public position: number,
    chunkSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, chunkSize));
    this.view = this.buf.subarray(0, 0);
  }

  /** Bytes read but not yet returned as lines (a partial line). */
  get buffered(): number {
    return this.end - this.start;
  }

  /**
   * The next complete line, or null when the buffered bytes hold none. After a line, `position` is the byte position
   * just after its terminator.
   */
  next(): string | null {
    const start = this.start;
    if (start >= this.end) return null;
    const view = this.view;
    let lf = this.nextLf;
    if (lf === UNKNOWN || (lf !== -1 && lf < start)) lf = this.nextLf = view.indexOf(LF, start);
    let cr = this.nextCr;
    if (cr === UNKNOWN || (cr !== -1 && cr < start)) cr = this.nextCr = view.indexOf(CR, start);
    let until: number;
    let newStart: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (cr + 1 >= this.end) return null; // cannot tell \r from \r\n yet
      until = cr;
      newStart = view[cr + 1] === LF ? cr + 2 : cr + 1;
    } else if (lf !== -1) {
      until = lf;
      newStart = lf + 1;
    } else {
      return null;
    }
    const line = view.toString('utf8', start, until);
    this.position += newStart - start;
    this.start = newStart;
    return line;
  }

  /**
   * Reads more bytes from `source` after the buffered ones (moving the partial line to the front first, and growing
   * the buffer when a single line fills it). Resolves the number of bytes read; 0 means none available now.
   */
  async fill(source: ByteSource): Promise<number> {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    // Consistent state before awaiting, in case the read fails.
    this.view = this.buf.subarray(0, this.end);
    this.nextLf = UNKNOWN;
    this.nextCr = UNKNOWN;
    const n = await source.read(this.buf, this.end, this.buf.length - this.end);
    if (n > 0) {
      this.end += n;
      this.view = this.buf.subarray(0, this.end);
    }
    return n;
  }
}
