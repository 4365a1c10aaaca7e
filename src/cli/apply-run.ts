/**
 * The work of `pipectl apply`, loaded only when the command runs (see apply-command.ts for its options).
 */
import { createInterface } from 'node:readline/promises';
import { hostname, userInfo } from 'node:os';
import { applyPlan } from '../apply/index.js';
import type { DeclarationLookup, TopicAdmin } from '../apply/index.js';
import type { DesiredState } from '../spec/desired-state.js';
import type { RestHerder, RetryEvent } from '../herder/rest-client.js';
import { LeaseHeldError } from '../herder/rest-errors.js';
import type { Plan } from '../plan/types.js';
import { shouldUseColor } from '../render/index.js';
import type { VarSource } from '../spec/variables.js';
import type { ApplyFlags } from './apply-command.js';
import { readPlanFile, stalePlanReason } from './plan-file.js';
import { describeError } from './plan-options.js';
import { preparePlan } from './plan-session.js';
import type { PlanFlags } from './plan-session.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { createApplyView } from './apply-view.js';
import type { ApplyView } from './apply-view.js';
import { reportsOfError, SessionError } from './session-errors.js';

const LEASE = 'apply';
const LEASE_TTL_MS = 60_000;

/** Runs apply and resolves to its exit code; every way it can end is reported through the view (never rejects). */
export async function runApply(paths: string[], cliVarSources: VarSource[], flags: ApplyFlags): Promise<number> {
  const color = flags.color !== false && shouldUseColor({ isTTY: process.stdout.isTTY === true, env: process.env });
  const state: { plan?: Plan; desired?: DesiredState } = {};
  const where: DeclarationLookup = (step) => {
    const topic = step.op === 'create-topic' || step.op === 'update-topic';
    const decl = topic ? state.desired?.topics.find((t) => t.name === step.name) : state.desired?.connectors.find((c) => c.name === step.name);
    return decl?.pos;
  };
  const view = createApplyView({ json: flags.json === true, color, stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t), where });
  try {
    return await applySession(paths, cliVarSources, flags, view, state);
  } catch (e) {
    view.report(reportsOfError(e));
    view.notApplied(state.plan, false);
    return 1;
  }
}

async function applySession(paths: string[], cliVarSources: VarSource[], flags: ApplyFlags, view: ApplyView, state: { plan?: Plan; desired?: DesiredState }): Promise<number> {
  const saved = flags.plan ? readPlanFile(flags.plan) : undefined;
  if (saved && paths.length > 0) throw new SessionError('PIPECTL_CLI_USAGE', 'give either pipeline paths or --plan FILE, not both');
  const hooks = { onRetry: (e: RetryEvent) => view.retrying(e) };
  const inputs = saved ? { paths: saved.paths, varSources: saved.varSources, flags: { ...saved.flags, ...pickTarget(flags) }, hooks } : { paths: paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS, varSources: cliVarSources, flags, hooks };

  let session = await preparePlan(inputs);
  state.desired = session.desired;
  view.files(session.diagnostics);
  if (!session.plan) {
    view.notApplied(undefined, false);
    return 1;
  }
  const plan: Plan = session.plan;
  state.plan = plan;
  if (saved) {
    // The saved plan is what was reviewed; the fresh one has identical fingerprints, hence identical operations, and
    // unlike the saved JSON it holds literal secret values, which the saved form shows only as (sensitive).
    const stale = stalePlanReason(saved.plan, plan);
    if (stale) throw new SessionError('PIPECTL_APPLY_STALE_PLAN', stale);
  }
  view.plan(plan, !saved);
  if (plan.diagnostics.some((d) => d.severity === 'error')) {
    view.notApplied(plan, false);
    return 1;
  }
  if (plan.operations.length === 0) {
    view.notApplied(plan, true);
    return 0;
  }
  if (!saved && !flags.autoApprove) {
    if (!process.stdin.isTTY) throw new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'apply needs --auto-approve when it does not run on a terminal (or apply a reviewed plan with --plan FILE)');
    if (!(await confirm())) throw new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'Apply cancelled.');
  }

  const herder = session.herder;
  const release = await acquireLock(herder, Number(flags.lockTimeout) * 1000, view);
  try {
    if (release.acquiredAfterWait) {
      // Another apply ran while we waited: the plan must still hold.
      session = await preparePlan(inputs);
      const stale = session.plan ? stalePlanReason(plan, session.plan) : 'the pipeline files no longer load';
      if (stale) throw new SessionError('PIPECTL_APPLY_STALE_PLAN', stale);
    }
    const result = await applyPlan(plan, herder, { waitTimeoutMs: Number(flags.waitTimeout) * 1000, firstPollIntervalMs: 20, parallelism: Math.max(1, Number(flags.parallelism) || 1), ...(session.live?.topics ? { topics: topicAdmin(herder) } : {}) }, view.hooks);
    return result.ok ? 0 : 1;
  } finally {
    await release.release();
  }
}

/** Apply's TopicAdmin port over the runtime's topic routes (only wired when the runtime serves them). */
function topicAdmin(herder: RestHerder): TopicAdmin {
  return {
    createTopic: (name, settings) => herder.createTopic(name, settings),
    alterTopic: async (name, changes) => void (await herder.alterTopic(name, changes)),
  };
}

function pickTarget(flags: ApplyFlags): PlanFlags {
  return { ...(flags.url ? { url: flags.url } : {}), ...(flags.env ? { env: flags.env } : {}), ...(flags.header ? { header: flags.header } : {}), ...(flags.runtimeTimeout ? { runtimeTimeout: flags.runtimeTimeout } : {}) };
}

async function confirm(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question('\nDo you want to perform these actions? Only "yes" will be accepted: ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

interface HeldLock {
  acquiredAfterWait: boolean;
  release(): Promise<void>;
}

/**
 * Takes the runtime's apply lease, renewing it while the apply runs. A runtime without leases (Apache Kafka Connect)
 * cannot be locked: apply warns and goes on.
 */
async function acquireLock(herder: RestHerder, timeoutMs: number, view: ApplyView): Promise<HeldLock> {
  if (!(await herder.supportsLeases())) {
    view.note('Warning: this runtime has no apply lease (e.g. Apache Kafka Connect); concurrent applies are not prevented.');
    return { acquiredAfterWait: false, release: async () => undefined };
  }
  const holder = `${safeUser()}@${hostname()} pid ${process.pid}`;
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    try {
      await herder.acquireLease(LEASE, holder, LEASE_TTL_MS);
      break;
    } catch (e) {
      if (Date.now() >= deadline) {
        // Only a 409 means another apply; anything else (e.g. a distributed worker that cannot reach its lease topic) is said as is.
        if (e instanceof LeaseHeldError) throw new LeaseHeldError(`another apply is running: ${describeError(e)} (use --lock-timeout to wait for it)`, e.holder, e.expiresAt);
        throw new SessionError('PIPECTL_RUNTIME_ERROR', `cannot take the apply lease: ${describeError(e)}`);
      }
      waited = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const renew = setInterval(() => void herder.renewLease(LEASE, holder, LEASE_TTL_MS).catch(() => undefined), LEASE_TTL_MS / 3);
  renew.unref();
  return {
    acquiredAfterWait: waited,
    release: async () => {
      clearInterval(renew);
      await herder.releaseLease(LEASE, holder).catch(() => undefined);
    },
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
