/**
 * `COPY … FROM STDIN` over `pg` without another dependency: a Submittable (pg's extension point for custom queries)
 * that answers the server's CopyInResponse with the rows in COPY's text format, then CopyDone.
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

/**
 * One row's line in COPY text format, from its key values then its other values, tab-separated and ending in a
 * newline; built by concatenation, without an array of fields per row.
 */
export function copyLine(keyValues: readonly (string | null)[], values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < keyValues.length; i++) line += i === 0 ? copyField(keyValues[i]!) : `\t${copyField(keyValues[i]!)}`;
  for (let i = 0; i < values.length; i++) line += i === 0 && keyValues.length === 0 ? copyField(values[i]!) : `\t${copyField(values[i]!)}`;
  return `${line}\n`;
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
        const chunkRows = 2000;
        for (let i = 0; i < lines.length; i += chunkRows) {
          connection.sendCopyFromChunk(Buffer.from(lines.slice(i, i + chunkRows).join(''), 'utf8'));
        }
        connection.endCopyFrom();
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
