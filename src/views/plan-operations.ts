/**
 * Plan operations as lines, in plan order, in Terraform's visual language: a sign, a verb, the kind and quoted name
 * of what is acted on, then one line per config key. Reads only the operation of the public form; decides nothing.
 */
import { SENSITIVE } from '../plan/public-form.js';
import type { ConfigChange, FailedParts, PublicOperation } from '../plan/public-form.js';
import { quote, safe, span, type Line, type Sign, type Span } from './lines.js';
import { changeLines, valueLines } from './value-diff.js';

const OP_INDENT = 2;
const KEY_INDENT = 6;

const SIGNS = {
  create: { symbol: '+', style: 'create' },
  update: { symbol: '~', style: 'update' },
  delete: { symbol: '-', style: 'delete' },
  pause: { symbol: '⏸', style: 'state' },
  resume: { symbol: '▶', style: 'state' },
  stop: { symbol: '■', style: 'state' },
  restart: { symbol: '↻', style: 'state' },
} as const satisfies Record<string, Sign>;

const ROLE: Record<string, string> = { source: 'source', sink: 'sink', unknown: 'role unknown' };

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `+ create connector "name" (running)`: sign, verb, kind, bold quoted name, optional remark. */
/** `connector`, `task 0`, `connector, tasks 0, 2`: the FAILED parts a restart of failed parts restarts. */
function failedText(f: FailedParts): string {
  const parts = f.connector ? ['connector'] : [];
  if (f.tasks.length > 0) parts.push(`${f.tasks.length === 1 ? 'task' : 'tasks'} ${f.tasks.join(', ')}`);
  return parts.join(', ');
}

function opLine(sign: Sign, verb: string, kind: string, name: string, remark?: string): Line {
  const spans: Span[] = [span(`${verb} ${kind} `), span(quote(name), 'bold')];
  if (remark !== undefined) spans.push(span(` (${safe(remark)})`));
  return { indent: OP_INDENT, sign, spans };
}

/** `+ key = value` lines for a config shown whole, keys sorted and `=` aligned, as Terraform lists new attributes. */
function configLines(config: Readonly<Record<string, string>>): Line[] {
  const keys = Object.keys(config).sort();
  const width = Math.max(0, ...keys.map((k) => quoteKey(k).length));
  return keys.flatMap((key) => {
    const value = config[key]!;
    const head: Line = { indent: KEY_INDENT, sign: SIGNS.create, spans: [span(`${quoteKey(key).padEnd(width)} = `)] };
    return valueLines(head, value, value === SENSITIVE);
  });
}

/** Keys are shown bare unless they hold characters that need escaping or spaces, then quoted. */
function quoteKey(key: string): string {
  return /^[\w.\-/:$@*]+$/.test(key) ? key : quote(key);
}

/** One config change: `~ key: "old" -> "new"`, `+ key: "v"`, `- key: "v"`; `(sensitive)` whenever marked so. */
function changeLinesFor(c: ConfigChange): Line[] {
  const show = (v: string | undefined): string => (c.sensitive ? SENSITIVE : v ?? '');
  const sign = c.kind === 'added' ? SIGNS.create : c.kind === 'removed' ? SIGNS.delete : SIGNS.update;
  const head: Line = { indent: KEY_INDENT, sign, spans: [span(`${quoteKey(c.key)}: `)] };
  if (c.kind === 'added') return valueLines(head, show(c.after), c.sensitive);
  if (c.kind === 'removed') return valueLines(head, show(c.before), c.sensitive);
  if (c.sensitive) return [{ ...head, spans: [...head.spans, span(`${SENSITIVE} -> ${SENSITIVE}`)] }];
  return changeLines(head, show(c.before), show(c.after));
}

function topicRemark(partitions: number | undefined, replicationFactor: number | undefined): string {
  const p = partitions === undefined ? 'default partitions' : plural(partitions, 'partition', 'partitions');
  const rf = replicationFactor === undefined ? 'default rf' : `rf ${replicationFactor}`;
  return `${p}, ${rf}`;
}

/**
 * A topic config change: as a connector's, except that a removed key is reset to its default (Kafka has no "unset"
 * that leaves nothing in force), which the line says.
 */
function topicChangeLines(c: ConfigChange): Line[] {
  const lines = changeLinesFor(c);
  if (c.kind !== 'removed' || lines.length !== 1) return lines;
  return [{ ...lines[0]!, spans: [...lines[0]!.spans, span(' (reset to default)')] }];
}

/** The lines of one operation: its header line, then its config or changes, if any. */
export function operationLines(op: PublicOperation): Line[] {
  switch (op.op) {
    case 'create-topic':
      return [opLine(SIGNS.create, 'create', 'topic', op.name, topicRemark(op.partitions, op.replicationFactor)), ...configLines(op.config)];
    case 'update-topic': {
      const partitions: Line[] = op.partitions ? [{ indent: KEY_INDENT, sign: SIGNS.update, spans: [span(`partitions: ${op.partitions.from} -> ${op.partitions.to}`)] }] : [];
      return [opLine(SIGNS.update, 'update', 'topic', op.name), ...partitions, ...op.changes.flatMap(topicChangeLines)];
    }
    case 'create':
      return [opLine(SIGNS.create, 'create', 'connector', op.name, op.initialState.toLowerCase()), ...configLines(op.redactedConfig)];
    case 'update':
      return [
        op.adopt ? opLine(SIGNS.update, 'adopt', 'connector', op.name, 'ownership mark added') : opLine(SIGNS.update, 'update', 'connector', op.name),
        ...op.changes.flatMap(changeLinesFor),
      ];
    case 'pause':
      return [opLine(SIGNS.pause, 'pause', 'connector', op.name)];
    case 'resume':
      return [opLine(SIGNS.resume, 'resume', 'connector', op.name)];
    case 'stop':
      return [opLine(SIGNS.stop, 'stop', 'connector', op.name)];
    case 'restart':
      return [opLine(SIGNS.restart, 'restart', 'connector', op.name, op.failed ? `failed: ${failedText(op.failed)}` : op.reason)];
    case 'delete':
      return [opLine(SIGNS.delete, 'delete', 'connector', op.name, ROLE[op.role] ?? op.role)];
  }
}
