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

const compareKeys = (a: RowOp, b: RowOp): number => {
  const x = keyOf(a);
  const y = keyOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

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
  const finals = new Map<string, { op: RowOp; deleteFirst: RowOp | null }>();
  for (const op of ops) {
    const key = `${op.table.qualified}\u0000${keyOf(op)}`;
    const prev = finals.get(key);
    const deleteFirst = op.kind === 'upsert' ? (prev?.op.kind === 'delete' ? prev.op : prev?.deleteFirst ?? null) : null;
    finals.set(key, { op, deleteFirst });
  }
  const deletes: RowOp[] = [];
  const writes: RowOp[] = [];
  for (const { op, deleteFirst } of finals.values()) {
    if (op.kind === 'delete') deletes.push(op);
    else {
      if (deleteFirst) deletes.push(deleteFirst);
      writes.push(op);
    }
  }
  return [...byShape(deletes.sort(compareKeys), 'delete'), ...byShape(writes.sort(compareKeys), 'upsert')];
}
