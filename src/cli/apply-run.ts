/**
 * The work of `pipectl apply`, loaded only when the command runs (see apply-command.ts for its options).
 */
import { createInterface } from 'node:readline/promises';
import { APPLY_LEASE_TTL_MS, goneHolder, leaseHolder, runApplySession, SYSTEM_CLOCK } from '../apply/index.js';
import type { ApplySessionRequest } from '../apply/index.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import type { RetryEvent } from '../herder/rest-client.js';
import { restApplyLock } from './rest-ports.js';
import type { Plan } from '../plan/types.js';
import { shouldUseColor } from '../views/index.js';
import type { DeclarationLookup } from '../views/index.js';
import type { VarSource } from '../pipeline-files/variables.js';
import type { ApplyFlags } from './apply-command.js';
import { readApplyProvenance } from './apply-provenance.js';
import { readPlanFile, stalePlanReason } from '../plan/plan-file.js';
import { restoreInputs } from '../plan/plan-file-inputs.js';
import { loadInputs, runtimeOf } from './plan-session.js';
import type { PlanFlags, PlanInputs } from './plan-session.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { createApplyView } from './apply-view.js';
import type { ApplyView } from './apply-view.js';
import { reportsOfError, SessionError } from './session-errors.js';
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
        view.note(`Second interrupt (${sig}): exiting at once. What was in flight may or may not have happened; the apply lease stays until it expires (${APPLY_LEASE_TTL_MS / 1000}s) or the next apply on this host takes it over.`, { signal: sig, interrupted: true, exiting: true });
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
 * Wires one apply session (src/apply/apply-session.ts: the lease, planning, the review checks, the run) to the flags,
 * the REST client, the view, the prompt and the interrupt guard. A saved plan is read here and checked by the
 * session against the live state it was made from (plan-file.ts words why it is stale).
 */
async function applySession(paths: string[], cliVarSources: VarSource[], flags: ApplyFlags, view: ApplyView, state: { plan?: Plan; desired?: DesiredState }, guard: InterruptGuard): Promise<number> {
  const saved = flags.plan ? readPlanFile(flags.plan) : undefined;
  if (saved && paths.length > 0) throw new SessionError('PIPECTL_CLI_USAGE', 'give either pipeline paths or --plan FILE, not both');
  const hooks = { onRetry: (e: RetryEvent) => view.retrying(e) };
  const inputs: PlanInputs = saved
    ? { paths: saved.paths, varSources: restoreInputs(saved, cliVarSources, flags.header ?? []), flags: { ...saved.flags, ...pickTarget(flags) }, hooks }
    : { paths: paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS, varSources: cliVarSources, flags, hooks };
  const loaded = loadInputs(inputs);
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    view.files(loaded.diagnostics);
    view.notApplied(undefined, false);
    return 1;
  }
  const request: ApplySessionRequest = {
    desired: loaded.desired,
    options: loaded.options,
    url: loaded.url,
    lease: { holder: leaseHolder(), timeoutMs: Number(flags.lockTimeout) * 1000, isGone: (holder) => goneHolder(holder) },
    // The saved plan is what was reviewed; the fresh one has identical fingerprints, hence identical operations, and
    // unlike the saved JSON it holds literal secret values, which the saved form shows only as (sensitive).
    ...(saved ? { reviewed: { live: saved.live, staleReason: (current: Plan, moved: readonly string[]) => stalePlanReason(saved.plan, current, moved) } } : {}),
    apply: {
      waitTimeoutMs: Number(flags.waitTimeout) * 1000,
      firstPollIntervalMs: 20,
      parallelism: Math.max(1, Number(flags.parallelism) || 1),
      signal: guard.signal,
      interruptGraceMs: INTERRUPT_GRACE_MS,
      provenance: readApplyProvenance(inputs.paths),
    },
  };
  const outcome = await runApplySession({ ...runtimeOf(loaded.herder), lock: restApplyLock(loaded.herder), clock: SYSTEM_CLOCK }, request, {
    note: (message, fields) => view.note(message, fields),
    onLockHeld: (release) => guard.setCleanup(release),
    onPlanned: (plan) => {
      state.desired = loaded.desired;
      view.files(loaded.diagnostics);
      state.plan = plan;
    },
    onShown: (plan) => view.plan(plan, !saved),
    ...(saved || flags.autoApprove ? {} : { approve }),
    onApplying: (applying) => guard.setGraceful(applying),
    steps: view.hooks,
  });
  if (outcome.kind === 'applied') return outcome.result.ok ? 0 : 1;
  view.notApplied(outcome.plan, outcome.kind === 'nothing-to-do');
  return outcome.kind === 'nothing-to-do' ? 0 : 1;
}

/** The prompt: resolves when the user typed "yes"; rejects with PIPECTL_APPLY_NOT_APPROVED otherwise, or without a terminal. */
async function approve(): Promise<void> {
  if (!process.stdin.isTTY) throw new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'apply needs --auto-approve when it does not run on a terminal (or apply a reviewed plan with --plan FILE)');
  if (!(await confirm())) throw new SessionError('PIPECTL_APPLY_NOT_APPROVED', 'Apply cancelled.');
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
