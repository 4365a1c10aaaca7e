/**
 * Topic planning: the declared topics (`spec.topics`) against the topics the runtime reports. Pure, like the rest of
 * src/plan. What Kafka allows is planned, what it does not is a diagnostic:
 *
 * - missing topic → `create-topic`;
 * - partitions up → `update-topic` (Kafka's CreatePartitions); partitions down → an error (Kafka cannot remove
 *   partitions), at the `partitions:` line of the file;
 * - replication factor differs → a warning (pipectl does not reassign replicas), see `replicationFactorDiagnostic`;
 * - topic configs → `update-topic` with a per-key diff. The declared `config` of a declared topic is authoritative
 *   over the topic's *overrides* (the configs set on the topic itself — what the runtime reports; broker defaults are
 *   never reported): a declared key that is missing or different is set, and an override that is not declared is
 *   reset to the default. pipectl keeps no state between runs, so it cannot tell "a key I declared before and you
 *   removed from the file" from "a key someone set by hand"; resetting both keeps a removed key from silently staying
 *   in force, and shows a hand-set override as a visible `- key` line in the plan (drift, reverted like a connector's).
 *   This is what Terraform's Kafka provider does with its `config` map. `--ignore-key` leaves a key alone (never
 *   set, never reset), for overrides managed elsewhere. Undeclared topics are never looked at.
 * - deleting topics: never. A Kafka topic has no place for an ownership mark (the broker rejects unknown topic
 *   configs), so pipectl cannot tell which topics it created; with `--prune` the plan says which undeclared topics it
 *   leaves in place (a warning) instead of deleting anything.
 */
import type { TopicSpec } from '../pipeline-files/desired-state.js';
import { diffConfigs } from './config-diff.js';
import { listNames } from './name-list.js';
import { isIgnoredKey } from './normalise.js';
import type { ConfigChange, LiveTopic, PlanDiagnostic, PlanOperation, PlanOptions } from './types.js';

export interface TopicPlan {
  operations: PlanOperation[];
  diagnostics: PlanDiagnostic[];
}

/** Operations and diagnostics for the declared topics, in file order; `live` is every topic the runtime reports. */
export function planTopics(desired: readonly TopicSpec[], live: readonly LiveTopic[], options: PlanOptions): TopicPlan {
  const liveByName = new Map(live.map((t) => [t.name, t]));
  const operations: PlanOperation[] = [];
  const diagnostics: PlanDiagnostic[] = [];
  for (const t of desired) {
    const l = liveByName.get(t.name);
    if (!l) {
      operations.push({
        op: 'create-topic',
        name: t.name,
        pipeline: t.pipelines[0]!,
        ...(t.partitions !== undefined ? { partitions: t.partitions } : {}),
        ...(t.replicationFactor !== undefined ? { replicationFactor: t.replicationFactor } : {}),
        config: t.config,
      });
      continue;
    }
    let partitions: { from: number; to: number } | undefined;
    if (t.partitions !== undefined && t.partitions > l.partitions) partitions = { from: l.partitions, to: t.partitions };
    else if (t.partitions !== undefined && t.partitions < l.partitions) diagnostics.push(partitionsDecrease(t, l));
    const rf = replicationFactorDiagnostic(t, l);
    if (rf) diagnostics.push(rf);
    const { patch, changes } = configChanges(t.config, l.config, options.ignoreKeys);
    if (partitions || changes.length > 0) {
      operations.push({ op: 'update-topic', name: t.name, pipeline: t.pipelines[0]!, ...(partitions ? { partitions } : {}), config: patch, changes });
    }
  }
  if (options.prune) {
    const notPruned = undeclaredTopics(desired, live);
    if (notPruned) diagnostics.push(notPruned);
  }
  return { operations, diagnostics };
}

/**
 * The per-key diff of a declared topic's config against the topic's live overrides (keys matching `ignoreKeys` left
 * out on both sides), and the patch that applies it: a value to set, or null to reset a key to its default.
 */
export function configChanges(
  desired: Readonly<Record<string, string>>,
  live: Readonly<Record<string, string>>,
  ignoreKeys: readonly string[],
): { patch: Record<string, string | null>; changes: ConfigChange[] } {
  const managed = (config: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(config).filter(([key]) => !isIgnoredKey(key, ignoreKeys)));
  const wanted = managed(desired);
  const changes = diffConfigs(managed(live), wanted);
  const patch: Record<string, string | null> = {};
  for (const c of changes) patch[c.key] = c.kind === 'removed' ? null : wanted[c.key]!;
  return { patch, changes };
}

function at(t: TopicSpec, field?: 'partitions' | 'replicationFactor'): Pick<PlanDiagnostic, 'pos'> {
  const pos = (field ? t.settingPos[field] : undefined) ?? t.pos;
  return { pos: { file: pos.file, line: pos.line, column: pos.column } };
}

function partitionsDecrease(t: TopicSpec, l: LiveTopic): PlanDiagnostic {
  return {
    severity: 'error',
    code: 'PIPECTL_PLAN_TOPIC_PARTITIONS_DECREASE',
    summary:
      `topic "${t.name}" has ${l.partitions} partitions on the runtime but the file declares ${t.partitions}: Kafka cannot remove partitions; ` +
      `declare partitions: ${l.partitions} (or more), or move the pipeline to a new topic`,
    topic: t.name,
    ...at(t, 'partitions'),
  };
}

/**
 * A warning, not an error, when the declared replication factor differs from the live one (-1, "the default", is
 * never compared). Changing it is a partition reassignment (kafka-reassign-partitions.sh, Cruise Control): an
 * operation on brokers that may move a lot of data and that pipectl does not perform. Unlike a partition decrease,
 * the declared value is reachable, the topic works meanwhile, and the fix happens outside pipectl — failing every
 * plan until an operator has reassigned replicas would block unrelated pipeline changes for no safety gain. The
 * warning repeats on every plan until the file and the cluster agree, so the difference stays visible.
 */
function replicationFactorDiagnostic(t: TopicSpec, l: LiveTopic): PlanDiagnostic | undefined {
  const wanted = t.replicationFactor;
  if (wanted === undefined || wanted === -1 || wanted === l.replicationFactor) return undefined;
  return {
    severity: 'warning',
    code: 'PIPECTL_PLAN_TOPIC_REPLICATION_FACTOR',
    summary:
      `topic "${t.name}" has replication factor ${l.replicationFactor} on the runtime but the file declares ${wanted}: pipectl does not change ` +
      `the replication factor of an existing topic (Kafka needs a partition reassignment, e.g. kafka-reassign-partitions.sh); the rest of the topic is planned as usual`,
    topic: t.name,
    ...at(t, 'replicationFactor'),
  };
}

function undeclaredTopics(desired: readonly TopicSpec[], live: readonly LiveTopic[]): PlanDiagnostic | undefined {
  const declared = new Set(desired.map((t) => t.name));
  const names = live.map((t) => t.name).filter((n) => !declared.has(n)).sort();
  if (names.length === 0) return undefined;
  const listed = listNames(names);
  const many = names.length !== 1;
  return {
    severity: 'warning',
    code: 'PIPECTL_PLAN_TOPICS_NOT_PRUNED',
    summary:
      `--prune does not delete topics: ${names.length} topic${many ? 's' : ''} on the runtime ${many ? 'are' : 'is'} not declared (${listed}) and ${many ? 'are' : 'is'} left in place; ` +
      `a Kafka topic carries no ownership mark, so pipectl cannot tell which topics it created — delete the ones you no longer need yourself`,
  };
}
