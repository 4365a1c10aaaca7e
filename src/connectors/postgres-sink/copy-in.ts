/**
 * `COPY … FROM STDIN` over `pg` without another dependency: a Submittable (pg's extension point for custom queries)
 * that answers the server's CopyInResponse with the rows in COPY's text format, then CopyDone; and a whole transaction
 * of COPYs and plain statements sent in one round trip (copyScript).
 */
import type pg from 'pg';

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
export function copyField(text: string | null): string {
  if (text === null) return '\\N';
  if (!NEEDS_ESCAPE.test(text)) return text; // most values: no four replace() passes
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Whether a column's texts are known to need no escaping (record-mapper's Column). */
interface ColumnEscaping {
  plain?: boolean;
}

const NO_COLUMNS: readonly ColumnEscaping[] = [];

/** One field as copyField() writes it, without looking for characters to escape when its column is plain. */
const fieldText = (text: string | null, column: ColumnEscaping | undefined): string => (text !== null && column?.plain === true ? text : copyField(text));

/**
 * One row's line in COPY text format, from its key values then its other values, tab-separated and ending in a
 * newline; built by concatenation, without an array of fields per row. With the columns, a plain column's texts
 * (numbers, booleans, dates and times: column-types.ts's isPlainText) are taken as they are.
 */
export function copyLine(
  keyValues: readonly (string | null)[],
  values: readonly (string | null)[],
  keyColumns: readonly ColumnEscaping[] = NO_COLUMNS,
  valueColumns: readonly ColumnEscaping[] = NO_COLUMNS,
): string {
  let line = '';
  for (let i = 0; i < keyValues.length; i++) line += i === 0 ? fieldText(keyValues[i]!, keyColumns[i]) : `\t${fieldText(keyValues[i]!, keyColumns[i])}`;
  for (let i = 0; i < values.length; i++) line += i === 0 && keyValues.length === 0 ? fieldText(values[i]!, valueColumns[i]) : `\t${fieldText(values[i]!, valueColumns[i])}`;
  return `${line}\n`;
}

/** Bytes of COPY text per CopyData message (about 1 MB): by size, not rows, so huge rows never make a huge string. */
const COPY_CHUNK_BYTES = 1 << 20;

type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number };

/**
 * The rows as CopyData messages of at most COPY_CHUNK_BYTES each (a longer row alone in its own), then CopyDone. Each
 * line is encoded straight into the message's buffer: joining the lines into one string first cost twice as much.
 */
export function sendRows(connection: Pick<PgConnection, 'sendCopyFromChunk' | 'endCopyFrom'>, lines: readonly string[]): void {
  let buf: Utf8Writable | null = null;
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const most = line.length * 3; // UTF-8 bytes of a JS string are at most 3 per UTF-16 unit
    if (buf !== null && at + most > buf.length) {
      connection.sendCopyFromChunk(buf.subarray(0, at));
      buf = null;
    }
    if (most > COPY_CHUNK_BYTES) {
      connection.sendCopyFromChunk(Buffer.from(line, 'utf8'));
      continue;
    }
    if (buf === null) {
      buf = Buffer.allocUnsafe(COPY_CHUNK_BYTES) as Utf8Writable;
      at = 0;
    }
    at += buf.utf8Write(line, at);
  }
  if (buf !== null && at > 0) connection.sendCopyFromChunk(buf.subarray(0, at));
  connection.endCopyFrom();
}

/**
 * Runs `script` — statements separated by `;` in ONE simple-protocol query, the i-th `COPY … FROM STDIN` of which
 * reads `copies[i]` — sending every COPY's rows right behind the query instead of waiting for each CopyInResponse,
 * so a transaction (`BEGIN; COPY …; INSERT … SELECT …; COMMIT`) costs one round trip, not one per statement: while the
 * worker's event loop is busy converting records, each round trip waits for it. Safe because the server reads
 * messages in order and, once a statement has failed, drops the CopyData and CopyDone that follow (protocol docs,
 * "COPY Operations"); the rest of the script is skipped and the error rejects. A script with BEGIN leaves the
 * transaction aborted on error: the caller rolls back.
 */
export function copyScript(client: pg.Client, script: string, copies: readonly (readonly string[])[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // pg detaches the query at its first error (and on a lost connection), so each end is reported once.
    const submittable = {
      submit(connection: PgConnection): void {
        connection.query(script);
        for (const lines of copies) sendRows(connection, lines);
      },
      handleCopyInResponse(): void {}, // the rows are on their way already
      handleCommandComplete(): void {},
      handleError(err: Error): void {
        reject(err);
      },
      handleReadyForQuery(): void {
        resolve();
      },
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      handleCopyData(): void {},
    };
    void client.query(submittable as unknown as pg.QueryConfig);
  });
}

/** Runs `sql` (a COPY … FROM STDIN) sending `lines` (copyLine's); resolves with the copied row count, rejects with the server's error. */
export function copyIn(client: pg.Client, sql: string, lines: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let settled = false;
    const done = (e: Error | null): void => {
      if (settled) return;
      settled = true;
      if (e) reject(e);
      else resolve(count);
    };
    const submittable = {
      submit(connection: PgConnection): void {
        connection.query(sql);
      },
      handleCopyInResponse(connection: PgConnection): void {
        sendRows(connection, lines);
      },
      handleCommandComplete(msg: { text?: string }): void {
        count = Number(/\d+$/.exec(msg.text ?? '')?.[0] ?? 0);
      },
      handleError(err: Error): void {
        done(err);
      },
      handleReadyForQuery(): void {
        done(null);
      },
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      handleCopyData(): void {},
    };
    void client.query(submittable as unknown as pg.QueryConfig); // pg returns the submittable itself, not a promise
  });
}
