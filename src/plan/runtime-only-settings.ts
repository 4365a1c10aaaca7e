/**
 * Settings that only pipectl's runtime acts on. Against Apache Kafka Connect (a target that serves no pipectl routes:
 * LiveState.topics is undefined) they are still sent — Connect keeps unknown connector keys, so the config and its
 * diff stay the same on both targets — but plan says they do nothing there instead of ignoring them silently.
 */
import type { ConnectorSpec, DesiredState } from '../pipeline-files/desired-state.js';
import type { LiveState, PlanDiagnostic } from './types.js';

/** The connector config keys of the restart policy (the runtime's config/restart-policy.ts reads them). */
const RESTART_PREFIX = 'pipectl.restart.';

/** One warning per declared connector whose restart policy Connect would not carry out; none on pipectl's runtime. */
export function runtimeOnlySettingDiagnostics(desired: DesiredState, live: LiveState): PlanDiagnostic[] {
  if (live.topics !== undefined) return [];
  return desired.connectors.filter(declaresRestartPolicy).map((c) => {
    const key = Object.keys(c.config).find((k) => k.startsWith(RESTART_PREFIX))!;
    const pos = c.configPos[key] ?? c.pos;
    return {
      severity: 'warning',
      code: 'PIPECTL_PLAN_RESTART_POLICY_IGNORED',
      summary: `connector "${c.name}" declares a restart policy, but the target is not pipectl's runtime (Apache Kafka Connect): Connect keeps its pipectl.restart.* keys and never restarts a failed task by itself`,
      detail: 'plan restarts failed tasks of connectors declared running on each apply; for restarts between applies use an operator (e.g. Strimzi autoRestart) or pipectl\'s runtime',
      connector: c.name,
      pos: { file: pos.file, line: pos.line, column: pos.column },
    };
  });
}

/** Keys of the policy are present and it is not turned off explicitly. */
function declaresRestartPolicy(c: ConnectorSpec): boolean {
  const keys = Object.keys(c.config).filter((k) => k.startsWith(RESTART_PREFIX));
  return keys.length > 0 && c.config[`${RESTART_PREFIX}enabled`]?.trim().toLowerCase() !== 'false';
}
