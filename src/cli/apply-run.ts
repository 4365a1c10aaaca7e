/**
 * The work of `pipectl apply`, loaded only when the command runs (see apply-command.ts for its options).
 */
import { createInterface } from 'node:readline/promises';
import { applyPlan } from '../apply/index.js';
import type { TopicAdmin } from '../apply/index.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import type { RestHerder, RetryEvent } from '../herder/rest-client.js';
import type { Plan } from '../plan/types.js';
import { shouldUseColor } from '../views/index.js';
import type { DeclarationLookup } from '../views/index.js';
import type { VarSource } from '../pipeline-files/variables.js';
import type { ApplyFlags } from './apply-command.js';
import { describeLiveChanges, liveDigest } from '../plan/live-changes.js';
import { movedSinceReviewReason, readPlanFile, stalePlanReason } from '../plan/plan-file.js';
import { newSalt, restoreInputs } from '../plan/plan-file-inputs.js';
import { preparePlan, readLiveState } from './plan-session.js';
import type { PlanFlags, PlanInputs } from './plan-session.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { createApplyView } from './apply-view.js';
import type { ApplyView } from './apply-view.js';
import { reportsOfError, SessionError } from './session-errors.js';
import { acquireLock, LEASE_TTL_MS } from './apply-lease.js';
import type { HeldLock } from './apply-lease.js';
import { guardInterrupts, interruptExitCode } from './interrupts.js';
import type { InterruptGuard } from './interrupts.js';

/** After a first interrupt, how long the herder call in flight may still take before apply stops waiting for it. */
const INTERRUPT_GRACE_MS = 10_000;

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
  const guard = guardInterrupts({
    onGraceful: (sig) =>
      view.note(`Interrupt received (${sig}): no new operation will start; the one in flight may finish (at most ${INTERRUPT_GRACE_MS / 1000}s), then the lease is released. Interrupt again to exit at once.`, { signal: sig, interrupted: true }),
    onExit: (sig, second) => {
      if (second) {
        view.note(`Second interrupt (${sig}): exiting at once. What was in flight may or may not have happened; the apply lease stays until it expires (${LEASE_TTL_MS / 1000}s) or the next apply on this host takes it over.`, { signal: sig, interrupted: true, exiting: true });
        return;
      }
      view.note(`Interrupted (${sig}) before anything was changed; the apply lease is released.`, { signal: sig, interrupted: true });
      view.notApplied(state.plan, false, true);
    },
  });
  try {
    const code = await applySession(paths, cliVarSources, flags, view, state, guard);
    const sig = guard.received();
    return sig ? interruptExitCode(sig) : code;
  } catch (e) {
    view.report(reportsOfError(e));
    view.notApplied(state.plan, false, guard.received() !== undefined);
    const sig = guard.received();
    return sig ? interruptExitCode(sig) : 1;
  } finally {
    guard.dispose();
  }
}

/**
 * Terraform's order: the apply lease is taken before the live state is read and held through the prompt until the
 * end (released on an interrupt too), so no other pipectl apply runs between the plan shown and the plan carried out.
 * A change made meanwhile by other means (Connect's REST API, a runtime without leases) is caught by reading the live
 * state again after the "yes": if it moved, apply refuses and says what moved. A saved plan is checked against the
 * live state it was made from (plan-file.ts) before anything else.
 */
async function applySession(paths: string[], cliVarSources: VarSource[], flags: ApplyFlags, view: ApplyView, state: { plan?: Plan; desired?: DesiredState }, guard: InterruptGuard): Promise<number> {
  const saved = flags.plan ? readPlanFile(flags.plan) : undefined;
  if (saved && paths.length > 0) throw new SessionError('PIPECTL_CLI_USAGE', 'give either pipeline paths or --plan FILE, not both');
  const hooks = { onRetry: (e: RetryEvent) => view.retrying(e) };
  let lock: HeldLock | undefined;
  const beforeLiveRead = async (herder: RestHerder): Promise<void> => {
    lock = await acquireLock(herder, Number(flags.lockTimeout) * 1000, view);
    const held = lock;
    guard.setCleanup(() => held.release());
  };
  const inputs: PlanInputs = saved
    ? { paths: saved.paths, varSources: restoreInputs(saved, cliVarSources, flags.header ?? []), flags: { ...saved.flags, ...pickTarget(flags) }, hooks, beforeLiveRead }
    : { paths: paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS, varSources: cliVarSources, flags, hooks, beforeLiveRead };

  try {
    const session = await preparePlan(inputs);
    state.desired = session.desired;
    view.files(session.diagnostics);
    if (!session.plan || !session.live) {
      view.notApplied(undefined, false);
      return 1;
    }
    const plan: Plan = session.plan;
    state.plan = plan;
    const reviewed = saved ? saved.live : liveDigest(session.live, newSalt());
    if (saved) {
      // The saved plan is what was reviewed; the fresh one has identical fingerprints, hence identical operations, and
      // unlike the saved JSON it holds literal secret values, which the saved form shows only as (sensitive).
      const stale = stalePlanReason(saved.plan, plan, describeLiveChanges(saved.live, session.live));
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
    const herder = session.herder;
    if (!saved && !flags.autoApprove) {
      if (!process.stdin.isTTY) throw new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'apply needs --auto-approve when it does not run on a terminal (or apply a reviewed plan with --plan FILE)');
      if (!(await confirm())) throw new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'Apply cancelled.');
      // Time passed at the prompt: what was reviewed must still be what is there.
      const moved = describeLiveChanges(reviewed, await readLiveState(herder, session.url));
      if (moved.length > 0) throw new SessionError('PIPECTL_APPLY_STALE_PLAN', movedSinceReviewReason(moved));
    }
    guard.setGraceful(true);
    const result = await applyPlan(
      plan,
      herder,
      {
        waitTimeoutMs: Number(flags.waitTimeout) * 1000,
        firstPollIntervalMs: 20,
        parallelism: Math.max(1, Number(flags.parallelism) || 1),
        signal: guard.signal,
        interruptGraceMs: INTERRUPT_GRACE_MS,
        ...(session.live.topics ? { topics: topicAdmin(herder) } : {}),
      },
      view.hooks,
    );
    return result.ok ? 0 : 1;
  } finally {
    guard.setGraceful(false);
    await lock?.release();
    guard.setCleanup(undefined);
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
  // On a terminal, readline turns Ctrl-C into its own event; pass it on as the process's interrupt (nothing changed yet).
  rl.on('SIGINT', () => void process.kill(process.pid, 'SIGINT'));
  try {
    const answer = await rl.question('\nDo you want to perform these actions? Only "yes" will be accepted: ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
