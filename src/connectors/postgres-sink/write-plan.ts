/**
 * One chunk of row operations → the statements' inputs, in order (pure). In upsert and update mode the changes of one
 * key collapse into its last one (last wins), with a DELETE first when a delete came before it in the chunk; deletes
 * run before writes, and rows are sorted by key so that concurrent writers lock rows in the same order. In insert mode
 * (no reduction: a duplicate key must fail as it would one by one) runs of the same kind and shape keep their order.
 */
import type { InsertMode } from './sink-settings.js';
import type { RowOp } from './record-mapper.js';

export interface Step {
  kind: 'upsert' | 'delete';
  /** Ops of one table and one shape. */
  ops: RowOp[];
}

const keyOf = (op: RowOp): string => JSON.stringify(op.keyValues);

function byShape(ops: RowOp[], kind: Step['kind']): Step[] {
  const groups = new Map<string, RowOp[]>();
  for (const op of ops) {
    const shape = kind === 'delete' ? `${op.table.qualified}|${op.keyColumns.map((c) => c.name).join('\u0000')}` : op.shape;
    let g = groups.get(shape);
    if (!g) groups.set(shape, (g = []));
    g.push(op);
  }
  return [...groups.values()].map((g) => ({ kind, ops: g }));
}

/** An op with its key text, worked out once (sorting compares each op's key some log2(n) times). */
interface Keyed {
  op: RowOp;
  key: string;
}

const compareKeys = (a: Keyed, b: Keyed): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const sortedOps = (keyed: Keyed[]): RowOp[] => keyed.sort(compareKeys).map((k) => k.op);

/** The steps of one chunk; every op of `ops` is in exactly one step, or superseded by a later op of its key. */
export function planWrites(ops: readonly RowOp[], mode: InsertMode): Step[] {
  if (mode === 'insert' || ops.every((op) => op.keyColumns.length === 0)) {
    const steps: Step[] = [];
    for (const op of ops) {
      const last = steps[steps.length - 1];
      if (last && last.kind === op.kind && last.ops[0]!.shape === op.shape) last.ops.push(op);
      else steps.push({ kind: op.kind, ops: [op] });
    }
    return steps;
  }
  const finals = new Map<string, { op: RowOp; key: string; deleteFirst: RowOp | null }>();
  for (const op of ops) {
    const key = keyOf(op);
    const tableKey = `${op.table.qualified}\u0000${key}`;
    const prev = finals.get(tableKey);
    const deleteFirst = op.kind === 'upsert' ? (prev?.op.kind === 'delete' ? prev.op : prev?.deleteFirst ?? null) : null;
    finals.set(tableKey, { op, key, deleteFirst });
  }
  const deletes: Keyed[] = [];
  const writes: Keyed[] = [];
  for (const { op, key, deleteFirst } of finals.values()) {
    if (op.kind === 'delete') deletes.push({ op, key });
    else {
      if (deleteFirst) deletes.push({ op: deleteFirst, key });
      writes.push({ op, key });
    }
  }
  return [...byShape(sortedOps(deletes), 'delete'), ...byShape(sortedOps(writes), 'upsert')];
}
