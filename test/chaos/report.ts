/**
 * The chaos report as text: faults and writes per kind with their answers, applies, convergence, the invariants'
 * violations and the data figures, then every finding sorted into a category (the known defects of distributed
 * mode first), with evidence. `findings` is data, so the test and the runner decide what fails.
 */
import type { ChaosReport } from './chaos-run.js';

export interface Finding {
  category: string;
  count: number;
  evidence: string[];
}

/** Whether every overlap of the data task named in `what` started within 5 s after a frozen worker was thawed. */
function afterZombie(r: ChaosReport, connector: string, what: string): boolean {
  const task = Number(/task (\d+)/.exec(what)?.[1]);
  const overlaps = r.data.find((d) => d.connector === connector && d.task === task)?.overlaps ?? [];
  const thaws = r.faults.filter((f) => f.kind === 'zombie').map((f) => f.atMs + f.ms);
  return overlaps.length > 0 && overlaps.every((o) => thaws.some((t) => o.atMs >= t - 500 && o.atMs <= t + 5000));
}

const inWindow = (r: ChaosReport, kind: string, atMs: number, ms: number): boolean => r.faults.some((f) => f.kind === kind && atMs + ms >= f.atMs && atMs <= f.atMs + f.ms + 5000);

/** Sorts what went wrong into categories, each with up to a few lines of evidence. */
export function findings(r: ChaosReport): Finding[] {
  const out = new Map<string, Finding>();
  const add = (category: string, evidence: string): void => {
    let f = out.get(category);
    if (!f) out.set(category, (f = { category, count: 0, evidence: [] }));
    f.count++;
    if (f.evidence.length < 6) f.evidence.push(evidence);
  };
  for (const s of r.startFailures) add(/does not host this topic-partition/i.test(s.message) ? 'worker start failure: "does not host this topic-partition"' : 'worker start failure (other)', `w${s.slot} at +${s.atMs} ms: ${s.message}`);
  for (const w of r.writes) {
    const tried409 = w.attempts.filter((a) => a === '409').length;
    if (tried409 > 0 && !/already exists/.test(w.message)) add(`write answered 409 (retried as "later")${w.final === '409' ? '' : ''}`, `${w.kind} ${w.connector} → w${w.worker}${w.toLeader ? ' (leader)' : ''} at +${w.atMs} ms: ${w.attempts.join(',')}${w.final === '409' ? ` gave up: ${w.message}` : ''}`);
    if (w.ms >= 25_000 || /^5/.test(w.final)) {
      const during = inWindow(r, 'broker-bounce', w.atMs, w.ms) ? 'during a broker outage' : inWindow(r, 'zombie', w.atMs, w.ms) ? 'to/while a worker was frozen' : 'no broker outage';
      add(`write slow (≥ 25 s) or 5xx [${during}]`, `${w.kind} ${w.connector} → w${w.worker} at +${w.atMs} ms: ${w.final} after ${w.ms} ms ${w.message.slice(0, 160)}`);
    }
    if (w.final === 'timeout' || w.final === 'net-error') add(`write got no answer [${inWindow(r, 'zombie', w.atMs, w.ms) ? 'a worker was frozen' : 'no frozen worker'}]`, `${w.kind} ${w.connector} → w${w.worker} at +${w.atMs} ms: ${w.final} ${w.message}`);
  }
  for (const f of r.faults) {
    const exit = /SIGTERM \(exit (\S+)\)/.exec(f.detail)?.[1];
    if (exit !== undefined && (exit !== '0' || f.ms > 10_000)) add('clean shutdown (SIGTERM) slow or not exit 0', `+${(f.atMs / 1000).toFixed(1)}s w${f.slot}: ${f.detail}, took ${(f.ms / 1000).toFixed(1)} s`);
  }
  for (const a of r.applies) if (a.code !== 0) add(`pipectl apply failed${/lock/i.test(a.summary) ? ' (lock)' : ''}${r.faults.some((f) => f.slot === a.worker && f.atMs <= a.endMs && a.atMs <= f.atMs + f.ms) ? ' [its worker was hit by a fault meanwhile: expected]' : ''}`, `v${a.version} → w${a.worker} at +${a.atMs} ms: exit ${a.code}: ${a.summary}`);
  const ok = r.applies.filter((a) => a.code === 0);
  for (let i = 0; i < ok.length; i++) {
    for (let j = i + 1; j < ok.length; j++) {
      const [a, b] = [ok[i]!, ok[j]!];
      if (a.worker !== b.worker && a.atMs < b.endMs && b.atMs < a.endMs) add('two applies ran at once through different workers (no cluster-wide apply lock)', `v${a.version} → w${a.worker} [+${a.atMs}…${a.endMs}] and v${b.version} → w${b.worker} [+${b.atMs}…${b.endMs}] both exit 0`);
    }
  }
  for (const v of r.violations) {
    const category =
      /UNASSIGNED/.test(v.seen) ? 'connector/task left UNASSIGNED' :
      v.invariant === 4 ? 'records lost (invariant 4)' :
      v.invariant === 3 && afterZombie(r, v.connector, v.what) ? "task ran twice: a zombie's task kept writing after SIGCONT, beside its successor (invariant 3)" :
      v.invariant === 3 ? 'task ran twice (invariant 3)' :
      v.invariant === 5 ? 'plan shows changes after apply (invariant 5)' :
      v.invariant === 2 ? 'workers disagree (invariant 2)' :
      /FAILED/.test(v.seen) ? 'connector/task FAILED' :
      v.what.startsWith('last acknowledged') ? 'config/target state is not the last acknowledged (invariant 1)' :
      'not RUNNING/PAUSED/STOPPED as its target says (invariant 1)';
    add(category, `[inv ${v.invariant}] ${v.connector}: ${v.what}: expected ${v.expected}; seen ${v.seen}`.slice(0, 600));
  }
  for (const x of r.unhealthy.filter((u) => u.toMs - u.fromMs >= 30_000)) {
    const category = /UNASSIGNED/.test(x.lastSeen) ? 'unhealthy ≥ 30 s while UNASSIGNED' : x.connector === 'app-sink' ? 'sink connector unhealthy ≥ 30 s (slow sink failover?)' : 'connector unhealthy ≥ 30 s';
    const near = r.faults.filter((f) => f.atMs <= x.fromMs && x.fromMs <= f.atMs + f.ms + 10_000).map((f) => `${f.kind}@+${(f.atMs / 1000).toFixed(1)}s`).join(', ');
    add(category, `${x.connector} from +${(x.fromMs / 1000).toFixed(1)}s for ${((x.toMs - x.fromMs) / 1000).toFixed(0)} s${x.open ? ' (still at the end)' : ''} after [${near || 'no fault'}]: ${x.lastSeen}`);
  }
  for (const s of r.modelSurprises) add('an answer contradicts the acknowledged writes', s.slice(0, 400));
  if (r.convergedMs === null) add('no convergence within the deadline', `violations left: ${r.violations.filter((v) => v.invariant <= 3).length}`);
  for (const d of r.data) if (d.duplicates > 0) add('duplicate records (at-least-once replays; not a violation)', `${d.connector} task ${d.task}: ${d.duplicates} duplicates of ${d.records}`);
  return [...out.values()];
}

const countBy = <T>(items: readonly T[], key: (t: T) => string): string =>
  [...items.reduce((m, t) => m.set(key(t), (m.get(key(t)) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k}=${n}`).join(' ') || 'none';

export function renderReport(r: ChaosReport): string {
  const lines: string[] = [];
  lines.push(`=== chaos summary: seed ${r.seed} (replay: CHAOS_SEED=${r.seed}), ${(r.wallMs / 1000).toFixed(0)} s`);
  lines.push(`faults: ${countBy(r.faults, (f) => f.kind)}; the leader was hit ${r.faults.filter((f) => f.wasLeader).length} times`);
  for (const f of r.faults) lines.push(`  +${(f.atMs / 1000).toFixed(1)}s ${f.kind} ${f.slot >= 0 ? `w${f.slot}${f.wasLeader ? ' (leader)' : ''}` : 'broker'}: ${f.detail}, ${(f.ms / 1000).toFixed(1)} s`);
  const kinds = [...new Set(r.writes.map((w) => w.kind))];
  lines.push(`writes: ${r.writes.length}; 409 answers (retried): ${r.writes.flatMap((w) => w.attempts).filter((a) => a === '409').length}`);
  for (const k of kinds) lines.push(`  ${k.padEnd(11)} ${countBy(r.writes.filter((w) => w.kind === k), (w) => w.final)}`);
  lines.push(`applies: ${r.applies.length} (${countBy(r.applies, (a) => `exit${a.code}`)})`);
  lines.push(`worker start failures: ${r.startFailures.length}`);
  lines.push(`convergence after the faults: ${r.convergedMs === null ? 'NONE within the deadline' : `${r.convergedMs} ms`}`);
  const lost = r.data.reduce((s, d) => s + d.lost, 0);
  const dups = r.data.reduce((s, d) => s + d.duplicates, 0);
  lines.push(`data: ${r.data.map((d) => `${d.connector}/${d.task}: ${d.records} records to seq ${d.highest} (flushed ${d.flushed}), ${d.lost} lost, ${d.duplicates} dup, ${d.overlaps.length} overlaps`).join('; ')}`);
  lines.push(`records lost: ${lost}, duplicated: ${dups}`);
  lines.push(`unhealthy stretches ≥ 15 s: ${r.unhealthy.length}`);
  for (const x of r.unhealthy.slice(0, 10)) lines.push(`  ${x.connector} +${(x.fromMs / 1000).toFixed(1)}s for ${((x.toMs - x.fromMs) / 1000).toFixed(0)} s${x.open ? ' (open at the end)' : ''}: ${x.lastSeen.slice(0, 200)}`);
  lines.push(`plans: ${r.plans.map((p) => `w${p.worker}:exit${p.code}`).join(' ')}`);
  lines.push(`violations: ${r.violations.length} (${countBy(r.violations, (v) => `inv${v.invariant}`)})`);
  for (const v of r.violations.slice(0, 40)) lines.push(`  [inv ${v.invariant}] ${v.connector}: ${v.what}\n      expected: ${v.expected}\n      seen:     ${v.seen}`);
  lines.push('findings by category:');
  for (const f of findings(r)) {
    lines.push(`  * ${f.category}: ${f.count}`);
    for (const e of f.evidence) lines.push(`      - ${e}`);
  }
  lines.push('worker log ERROR/WARN messages (top 12):');
  for (const m of r.logMessages.slice(0, 12)) lines.push(`  ${String(m.count).padStart(5)} × ${m.line}`);
  lines.push(r.kept ? `logs kept in ${r.dir}/logs` : 'run folder removed');
  return lines.join('\n');
}
