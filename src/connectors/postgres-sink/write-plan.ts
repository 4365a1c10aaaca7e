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

/** The last op of a key in the chunk, and the delete it replaced if the key was deleted before it. */
interface Final extends Keyed {
  deleteFirst: RowOp | null;
}

const compareKeys = (a: Keyed, b: Keyed): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const sortedOps = (keyed: Keyed[]): RowOp[] => keyed.sort(compareKeys).map((k) => k.op);

/**
 * The ops of each key: per table, and per kind of key text — a one-column key that is not null is its own text (no
 * JSON.stringify per op, which cost more than the rest of the reduction); any other key is the JSON of its values,
 * kept apart so that no text of the first kind can ever equal one of the second.
 */
class KeyTable {
  private readonly tables = new Map<string, { plain: Map<string, Final>; json: Map<string, Final> }>();

  /** The entry of `op`'s key, and the key's text. */
  entry(op: RowOp): { finals: Map<string, Final>; key: string } {
    let t = this.tables.get(op.table.qualified);
    if (!t) this.tables.set(op.table.qualified, (t = { plain: new Map(), json: new Map() }));
    const v = op.keyValues;
    return v.length === 1 && v[0] !== null ? { finals: t.plain, key: v[0]! } : { finals: t.json, key: JSON.stringify(v) };
  }

  *finals(): Iterable<Final> {
    for (const t of this.tables.values()) {
      yield* t.plain.values();
      yield* t.json.values();
    }
  }
}

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
  const keys = new KeyTable();
  for (const op of ops) {
    const { finals, key } = keys.entry(op);
    const prev = finals.get(key);
    const deleteFirst = op.kind === 'upsert' ? (prev?.op.kind === 'delete' ? prev.op : prev?.deleteFirst ?? null) : null;
    finals.set(key, { op, key, deleteFirst });
  }
  const deletes: Keyed[] = [];
  const writes: Keyed[] = [];
  for (const final of keys.finals()) {
    if (final.op.kind === 'delete') deletes.push(final);
    else {
      if (final.deleteFirst) deletes.push({ op: final.deleteFirst, key: final.key });
      writes.push(final);
    }
  }
  return [...byShape(sortedOps(deletes), 'delete'), ...byShape(sortedOps(writes), 'upsert')];
}
