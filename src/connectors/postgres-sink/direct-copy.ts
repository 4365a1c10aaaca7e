/**
 * When an upsert may skip its staging table: COPY straight into the target is an upsert of rows whose keys are all
 * new, and costs Postgres half as much as COPY into a staging table plus `INSERT … SELECT … ON CONFLICT` (bench/
 * postgres-sink: the "Postgres alone" rows). It is tried first, optimistically; a key that exists fails it at once
 * (unique_violation, 23505), the transaction is rolled back and the chunk goes the staging way. Only where that
 * failure is certain: the table has an immediate unique index on exactly the key columns (otherwise COPY would add a
 * second row for the key), and no row-level security (COPY FROM is refused there).
 *
 * A failed try wastes what the COPY wrote before the conflict, so after one the table's chunks go the staging way for
 * a while: 1 chunk, then 2, 4 … up to MAX_SKIP after each further failure; a try that succeeds ends the back-off. A
 * stream of updates then pays for one failed try in MAX_SKIP + 1 chunks.
 */
import { storedName, uniqueKeyOf } from './table-manager.js';
import type { TableInfo } from './table-manager.js';
import type { RowOp } from './record-mapper.js';

export const MAX_SKIP = 64;

interface Backoff {
  /** Chunks still to go the staging way. */
  skip: number;
  /** The skip after the next failed try. */
  next: number;
}

export class DirectCopyPolicy {
  private readonly backoff = new Map<string, Backoff>();

  /** Whether a COPY into `info`'s table fails on any existing key of `op`'s key columns. */
  static conflictsSurface(op: RowOp, info: TableInfo): boolean {
    if (op.keyColumns.length === 0 || info.rowSecurity) return false;
    return info.uniqueKeys.has(uniqueKeyOf(op.keyColumns.map((c) => storedName(c.name))));
  }

  /** Whether to try a COPY straight into `table` now; a table backing off counts one chunk down. */
  shouldTry(table: string): boolean {
    const b = this.backoff.get(table);
    if (!b || b.skip === 0) return true;
    b.skip--;
    return false;
  }

  succeeded(table: string): void {
    this.backoff.delete(table);
  }

  failed(table: string): void {
    const b = this.backoff.get(table) ?? { skip: 0, next: 1 };
    b.skip = b.next;
    b.next = Math.min(b.next * 2, MAX_SKIP);
    this.backoff.set(table, b);
  }
}
