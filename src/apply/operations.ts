/**
 * One plan operation → its herder (or topic admin) calls, made idempotent where the runtime allows: a create that
 * finds the connector already there with the planned config is done; a delete that finds it gone is done.
 */
import { AlreadyExistsError, NotFoundError } from '../herder/errors.js';
import type { Herder } from '../herder/herder.js';
import type { ConnectorConfig, ConnectorStateInfo } from '../herder/types.js';
import { stampConfig, withoutApplyStamp } from '../plan/applied-stamp.js';
import type { ApplyProvenance } from '../plan/applied-stamp.js';
import type { PlanOperation } from '../plan/types.js';
import { ApplyFailure } from './errors.js';
import { CONNECTOR_INSTANCE } from './health.js';
import type { Tolerance } from './health.js';
import { withConflictRetry } from './retry.js';
import type { RetryContext } from './retry.js';
import type { TopicAdmin } from './types.js';

/** Polls during which instances a restart marked RESTARTING may still show their old FAILED status. */
export const RESTART_GRACE_POLLS = 3;

export interface OperationOutcome {
  /** Said of a done step, e.g. `already gone`. */
  note?: string;
  /** For the health wait after a restart. */
  tolerance?: Tolerance;
  /**
   * For the health wait after an update: the FAILED instances seen just before the new config was sent, by instance
   * id (CONNECTOR_INSTANCE for the connector), with their traces. A status still showing exactly that is the replaced
   * generation's, not the new one's (Connect's REST status carries no generation).
   */
  replaced?: Map<number, string>;
}

export interface OperationContext extends RetryContext {
  herder: Herder;
  /** Required for create-topic and update-topic (the engine skips those itself when there is none). */
  topics?: TopicAdmin;
  /** Read the status before an update (for the health wait that follows; see OperationOutcome.replaced). */
  observeBeforeUpdate?: boolean;
  /** Adds the apply stamp (plan/applied-stamp.ts) to a config about to be sent; absent: sent as planned. */
  stamp?: (config: ConnectorConfig) => ConnectorConfig;
}

/** The stamp of an apply by `provenance`, timed by `now` when each config is sent. */
export function stamper(provenance: ApplyProvenance, now: () => number): (config: ConnectorConfig) => ConnectorConfig {
  return (config) => stampConfig(config, provenance, now());
}

/**
 * Performs `op`. Rejects with the herder's errors (and ApplyFailure for a create that collides with someone else's
 * connector, or for exhausted conflict retries); the caller words them with `toStepError`.
 */
export async function performOperation(op: PlanOperation, ctx: OperationContext): Promise<OperationOutcome> {
  const { herder } = ctx;
  const retry = <T>(call: () => Promise<T>): Promise<T> => withConflictRetry(`${op.op} of ${op.name}`, call, ctx);
  switch (op.op) {
    case 'create-topic':
      return createTopic(op, ctx);
    case 'update-topic':
      return alterTopic(op, ctx);
    case 'create':
      return createConnector(op.name, op.config, op.initialState, ctx);
    case 'update': {
      const replaced = ctx.observeBeforeUpdate ? await failedBefore(herder, op.name) : new Map<number, string>();
      const config = ctx.stamp ? ctx.stamp(op.config) : op.config;
      await retry(() => herder.putConnectorConfig(op.name, normalised(op.name, config)));
      return { replaced };
    }
    case 'pause':
      await retry(() => herder.pauseConnector(op.name));
      return {};
    case 'resume':
      await retry(() => herder.resumeConnector(op.name));
      return {};
    case 'stop':
      await retry(() => herder.stopConnector(op.name));
      return {};
    case 'restart': {
      // --restart: everything; a restart planned for FAILED parts: only what is FAILED when it runs (Connect's onlyFailed).
      const plan = await retry(() => herder.restartConnectorAndTasks({ connector: op.name, includeTasks: true, onlyFailed: op.reason === 'failed' }));
      return { tolerance: { ids: restartingIds(plan), polls: RESTART_GRACE_POLLS } };
    }
    case 'delete':
      try {
        await retry(() => herder.deleteConnector(op.name));
        return {};
      } catch (err) {
        if (err instanceof NotFoundError) return { note: 'already gone' };
        throw err;
      }
    default: {
      const unknown: { op?: unknown } = op;
      throw new ApplyFailure('PIPECTL_APPLY_REJECTED', `Unknown operation ${JSON.stringify(unknown.op)} (the plan was made by another pipectl version?).`);
    }
  }
}

async function createConnector(name: string, config: ConnectorConfig, initialState: 'RUNNING' | 'PAUSED' | 'STOPPED', ctx: OperationContext): Promise<OperationOutcome> {
  const retry = <T>(call: () => Promise<T>): Promise<T> => withConflictRetry(`create of ${name}`, call, ctx);
  try {
    const stamped = ctx.stamp ? ctx.stamp(config) : config;
    await retry(() => ctx.herder.createConnector(name, normalised(name, stamped), initialState));
    return {};
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
  // Most likely our own earlier create (a crash or a lost answer between create and report): same config → done.
  const live = await retry(() => ctx.herder.connectorConfig(name));
  if (sameConfig(name, live, config)) return { note: 'already existed with the planned config' };
  const differing = differingKeys(name, live, config);
  throw new ApplyFailure(
    'PIPECTL_APPLY_ALREADY_EXISTS',
    `Connector ${name} already exists with a different config (it was created outside this apply; differing keys: ` +
      `${differing.join(', ')}). Run plan again to review it; nothing was changed.`,
  );
}

async function createTopic(op: Extract<PlanOperation, { op: 'create-topic' }>, ctx: OperationContext): Promise<OperationOutcome> {
  const topics = ctx.topics;
  if (!topics) throw new ApplyFailure('PIPECTL_APPLY_TOPIC_FAILED', `No topic admin is configured to create topic ${op.name}.`);
  const settings = {
    ...(op.partitions === undefined ? {} : { partitions: op.partitions }),
    ...(op.replicationFactor === undefined ? {} : { replicationFactor: op.replicationFactor }),
    config: op.config,
  };
  try {
    await withConflictRetry(`create of topic ${op.name}`, () => topics.createTopic(op.name, settings), ctx);
    return {};
  } catch (err) {
    if (err instanceof AlreadyExistsError) return { note: 'already existed' };
    throw err;
  }
}

/** Partitions up and the config patch, in one call; the runtime treats an unchanged partition count as no change. */
async function alterTopic(op: Extract<PlanOperation, { op: 'update-topic' }>, ctx: OperationContext): Promise<OperationOutcome> {
  const topics = ctx.topics;
  if (!topics) throw new ApplyFailure('PIPECTL_APPLY_TOPIC_FAILED', `No topic admin is configured to change topic ${op.name}.`);
  const changes = { ...(op.partitions === undefined ? {} : { partitions: op.partitions.to }), config: op.config };
  await withConflictRetry(`update of topic ${op.name}`, () => topics.alterTopic(op.name, changes), ctx);
  return {};
}

/**
 * The config with `name` set, as Connect's REST resource injects it before calling its Herder (the plan leaves `name`
 * out; a herder called in-process, like ours, expects it). Also how a live config is compared with a planned one.
 */
function normalised(name: string, config: ConnectorConfig): ConnectorConfig {
  return { ...config, name: config['name'] ?? name };
}

/** Keys whose values differ, the apply stamp aside (an earlier attempt of this create stamped another time). */
function differingKeys(name: string, live: ConnectorConfig, planned: ConnectorConfig): string[] {
  const a = normalised(name, withoutApplyStamp(live));
  const b = normalised(name, withoutApplyStamp(planned));
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}

export function sameConfig(name: string, live: ConnectorConfig, planned: ConnectorConfig): boolean {
  return differingKeys(name, live, planned).length === 0;
}

/** The FAILED instances of `name` and their traces (empty when the status cannot be read: nothing to discount). */
async function failedBefore(herder: Herder, name: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  let status: ConnectorStateInfo;
  try {
    status = await herder.connectorStatus(name);
  } catch {
    return out;
  }
  if (status.connector.state === 'FAILED') out.set(CONNECTOR_INSTANCE, status.connector.trace ?? '');
  for (const t of status.tasks) if (t.state === 'FAILED') out.set(t.id, t.trace ?? '');
  return out;
}

function restartingIds(plan: ConnectorStateInfo): Set<number> {
  const ids = new Set<number>();
  if (plan.connector.state === 'RESTARTING') ids.add(CONNECTOR_INSTANCE);
  for (const t of plan.tasks) if (t.state === 'RESTARTING') ids.add(t.id);
  return ids;
}
