/**
 * Pre-apply validation: the runtime's own `PUT /connector-plugins/{class}/config/validate` answers for the configs a
 * plan would send, turned into plan diagnostics that point at the offending key in the pipeline file. Pure: the
 * answers are fetched by the caller.
 */
import type { ConfigInfos } from '../herder/types.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import type { Plan, PlanDiagnostic } from './types.js';

/** Connectors whose config a plan would send (creates and updates), with the config to validate. */
export function configsToValidate(plan: Plan): { name: string; config: Record<string, string> }[] {
  return plan.operations.flatMap((o) => (o.op === 'create' || o.op === 'update' ? [{ name: o.name, config: { ...o.config, name: o.name } }] : []));
}

/** The plan with one error diagnostic per rejected key (at its position in the file when known). */
export function withValidation(plan: Plan, desired: DesiredState, answers: ReadonlyMap<string, ConfigInfos>): Plan {
  const diagnostics: PlanDiagnostic[] = [];
  for (const [name, infos] of answers) {
    if (infos.error_count === 0) continue;
    const spec = desired.connectors.find((c) => c.name === name);
    for (const c of infos.configs) {
      for (const message of c.value.errors) {
        const key = c.value.name;
        const pos = spec?.configPos[key] ?? spec?.pos;
        diagnostics.push({
          severity: 'error',
          code: 'PIPECTL_PLAN_INVALID_CONFIG',
          summary: `connector "${name}": ${key}: ${message}`,
          connector: name,
          ...(pos ? { pos: { file: pos.file, line: pos.line, column: pos.column } } : {}),
        });
      }
    }
  }
  if (diagnostics.length === 0) return plan;
  return { ...plan, diagnostics: [...plan.diagnostics, ...diagnostics] };
}
