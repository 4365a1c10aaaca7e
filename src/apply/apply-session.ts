/**
 * An apply session in Terraform's order, for any front end (the CLI today; a web view or a reconcile loop later):
 * take the apply lease before the live state is read and hold it (renewed) to the end, so no other pipectl apply runs
 * between the plan shown and the plan carried out; plan against the runtime with pre-apply validation; refuse a
 * reviewed saved plan that went stale; show the plan and get it approved; read the live state again after the
 * approval and refuse if it moved (a change by other means — Connect's REST API, a runtime without leases — made
 * the plan stale while the user read it); then run it through applyPlan. It never prints: it reports through hooks
 * and returns an outcome; the lease is released however it ends.
 */
import { randomBytes } from 'node:crypto';
import type { Herder } from '../herder/herder.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import { describeLiveChanges, liveDigest } from '../plan/live-changes.js';
import type { LiveDigest } from '../plan/live-changes.js';
import type { LiveState, Plan, PlanOptions } from '../plan/types.js';
import { applyPlan } from './apply-plan.js';
import { takeApplyLock } from './apply-lock.js';
import type { HeldLock } from './apply-lock.js';
import { planOnRuntime, readLiveState } from './plan-on-runtime.js';
import type { ApplyLock, Clock, RuntimeTopics } from './ports.js';
import { LiveMovedError, SessionError } from './session-error.js';
import type { ApplyHooks, ApplyOptions, ApplyResult } from './types.js';

/** What a session uses: the runtime (connectors, topics, the apply lock) and the host's clock. */
export interface ApplySessionPorts {
  /** Connectors: read for the live state, asked to validate configs, then changed by the plan's operations. */
  herder: Herder;
  lock: ApplyLock;
  /** Absent, or listing undefined: topics are neither planned nor changed. */
  topics?: RuntimeTopics;
  /** Lease waits and renewals; also the engine's clock unless `apply` says otherwise. */
  clock: Clock;
}

/** What to apply and how: the loaded files, the plan options, the lease, a reviewed plan if any, the engine's options. */
export interface ApplySessionRequest {
  /** The pipeline files' desired state, loaded without errors. */
  desired: DesiredState;
  options: PlanOptions;
  /** The runtime's base URL (the plan's target). */
  url: string;
  lease: {
    /** Who takes the lease (lease-holder.ts). */
    holder: string;
    /** How long to wait while another apply holds it. */
    timeoutMs: number;
    /** Why a holder is provably gone, or undefined (see takeApplyLock). */
    isGone?: (holder: string) => string | undefined;
  };
  /**
   * A plan reviewed earlier (a saved plan): checked against the fresh one before it is shown. `staleReason` gets the
   * fresh plan and what moved in the live state since `live` was taken, and says why the reviewed plan no longer
   * applies (undefined: it still does). Such a plan needs no approval.
   */
  reviewed?: { live: LiveDigest; staleReason(current: Plan, moved: readonly string[]): string | undefined };
  /** The engine's options (timeouts, parallelism, the interrupt signal); `topics` is the session's to set. */
  apply?: Omit<ApplyOptions, 'topics'>;
  /** The key of the digest of the live state shown (default: 16 random bytes, hex). */
  salt?: () => string;
}

/**
 * How a session reports and asks. Called synchronously, in order; none may throw except `approve`.
 */
export interface ApplySessionHooks {
  /** Something worth telling the user (no lease on this runtime, a lease taken over). */
  note?(message: string, fields?: Record<string, unknown>): void;
  /** With the lease's release once it is held (an interrupt may call it), and with undefined once released. */
  onLockHeld?(release: (() => Promise<void>) | undefined): void;
  /** The plan is computed (before a reviewed plan is checked against it). */
  onPlanned?(plan: Plan): void;
  /** The plan to carry out, once it passed the review check: show it. */
  onShown?(plan: Plan): void;
  /**
   * Asks for approval of a plan with operations and no error; rejects to refuse (the session then rejects with that
   * error). Absent: the plan is approved already (a reviewed saved plan, or auto-approve), and the live state is
   * not read again.
   */
  approve?(plan: Plan): Promise<void>;
  /** True just before the operations start, false once they ended (or the session failed before). */
  onApplying?(applying: boolean): void;
  /** The engine's step hooks. */
  steps?: ApplyHooks;
}

/** How a session that did not reject ended. */
export type ApplySessionOutcome =
  | { kind: 'plan-has-errors'; plan: Plan }
  | { kind: 'nothing-to-do'; plan: Plan }
  | { kind: 'applied'; plan: Plan; result: ApplyResult };

/**
 * Runs one apply session (see the module comment). Rejects — after releasing the lease — with LeaseHeldError (another
 * apply holds the lease past `lease.timeoutMs`), SessionError (PIPECTL_RUNTIME_ERROR: the lease cannot be taken;
 * PIPECTL_APPLY_STALE_PLAN: a reviewed plan is stale), LiveMovedError (the live state moved after the approval),
 * whatever `approve` rejects with, and the herder's errors when reading the runtime fails. Failed operations are not
 * rejections: they are in the `applied` outcome's result.
 */
export async function runApplySession(ports: ApplySessionPorts, request: ApplySessionRequest, hooks: ApplySessionHooks = {}): Promise<ApplySessionOutcome> {
  const runtime = { herder: ports.herder, ...(ports.topics ? { topics: ports.topics } : {}) };
  let lock: HeldLock | undefined;
  try {
    lock = await takeApplyLock(ports.lock, ports.clock, { ...request.lease, ...(hooks.note ? { note: (m, f) => hooks.note?.(m, f) } : {}) });
    hooks.onLockHeld?.(lock.release);
    const { live, plan } = await planOnRuntime(runtime, request.url, request.desired, request.options);
    hooks.onPlanned?.(plan);
    if (request.reviewed) {
      // The reviewed plan is what was approved; the fresh one has identical fingerprints, hence identical operations.
      const stale = request.reviewed.staleReason(plan, describeLiveChanges(request.reviewed.live, live));
      if (stale !== undefined) throw new SessionError('PIPECTL_APPLY_STALE_PLAN', stale);
    }
    hooks.onShown?.(plan);
    if (plan.diagnostics.some((d) => d.severity === 'error')) return { kind: 'plan-has-errors', plan };
    if (plan.operations.length === 0) return { kind: 'nothing-to-do', plan };
    if (hooks.approve) {
      const shown = liveDigest(live, (request.salt ?? newSalt)());
      await hooks.approve(plan);
      // Time passed at the prompt: what was reviewed must still be what is there.
      const moved = describeLiveChanges(shown, await readLiveState(runtime, request.url));
      if (moved.length > 0) throw new LiveMovedError(moved);
    }
    hooks.onApplying?.(true);
    const result = await applyPlan(plan, ports.herder, engineOptions(ports, request, live), hooks.steps);
    return { kind: 'applied', plan, result };
  } finally {
    hooks.onApplying?.(false);
    await lock?.release();
    hooks.onLockHeld?.(undefined);
  }
}

/** The engine's options: the session's clock unless given, and the topic port only when the runtime listed topics. */
function engineOptions(ports: ApplySessionPorts, request: ApplySessionRequest, live: LiveState): ApplyOptions {
  return {
    now: () => ports.clock.now(),
    sleep: (ms) => ports.clock.sleep(ms),
    ...request.apply,
    ...(live.topics && ports.topics ? { topics: ports.topics } : {}),
  };
}

function newSalt(): string {
  return randomBytes(16).toString('hex');
}
