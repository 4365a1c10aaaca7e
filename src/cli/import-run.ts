/**
 * The work of `pipectl import`, loaded only when the command runs (see import-command.ts for its options).
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { readLiveConnectors } from '../herder/rest-client.js';
import { isIgnoredKey } from '../plan/normalise.js';
import { isSensitive, maskUrlPasswords } from '../plan/sensitivity.js';
import type { LiveConnector } from '../plan/types.js';
import { containsSecretReference } from '../pipeline-files/references.js';
import type { ImportFlags } from './import-command.js';
import { connect } from './plan-session.js';
import { describeError } from './plan-options.js';
import { SessionError } from './session-errors.js';

/** Writes the YAML; resolves to the exit code. */
export async function runImport(names: string[], flags: ImportFlags): Promise<number> {
  try {
    const { herder } = connect(flags);
    const pattern = flags.match ? new RegExp(flags.match) : undefined;
    const live = (await readLiveConnectors(herder)).filter((c) => (names.length === 0 || names.includes(c.name)) && (!pattern || pattern.test(c.name)));
    const missing = names.filter((n) => !live.some((c) => c.name === n));
    if (missing.length > 0) throw new SessionError('PIPECTL_IMPORT_UNKNOWN_CONNECTOR', `no such connector on the runtime: ${missing.join(', ')}`);
    const warnings: string[] = [];
    const doc = {
      apiVersion: 'pipectl.dev/v1',
      kind: 'Pipeline',
      metadata: { name: flags.pipeline },
      spec: { connectors: live.map((c) => toDeclaration(c, warnings)) },
    };
    const yaml = `# Imported by pipectl from ${herder.url}. Review it, commit it, then run "pipectl plan --adopt".\n${stringify(doc, { lineWidth: 0 })}`;
    if (flags.out) {
      // 0600: an imported config may still hold values the user considers private (literals not recognised as secret).
      writeFileSync(flags.out, yaml, { mode: 0o600 });
      chmodSync(flags.out, 0o600);
    }
    else process.stdout.write(yaml);
    for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
    process.stderr.write(`Imported ${live.length} connector${live.length === 1 ? '' : 's'}${flags.out ? ` into ${flags.out}` : ''}.\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`Error: ${describeError(e)}\n`);
    return 1;
  }
}

function toDeclaration(c: LiveConnector, warnings: string[]): Record<string, unknown> {
  const config: Record<string, string> = {};
  for (const key of Object.keys(c.config).sort()) {
    if (key === 'connector.class' || key === 'tasks.max' || isIgnoredKey(key, [])) continue;
    const value = c.config[key]!;
    if (isSensitive(key, value) && !containsSecretReference(value)) {
      const variable = `${c.name}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      config[key] = `\${env:${variable}}`;
      // The file now differs from the live config on purpose (the literal must not reach Git), so `plan --adopt`
      // shows this key as a `(sensitive)` change, and apply stores the reference in place of the literal: said here.
      warnings.push(
        `${c.name}: the value of "${key}" looks secret; it was replaced by \${env:${variable}} (set it where the worker runs, with an env config provider). ` +
          `plan --adopt shows it as a (sensitive) change: apply replaces the literal with the reference.`,
      );
    } else if (maskUrlPasswords(value, '') !== value) {
      // A password inside a URL: replaced in place by a reference, so the rest of the URL stays as it is.
      const variable = `${c.name}_${key}_password`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      config[key] = maskUrlPasswords(value, `\${env:${variable}}`);
      warnings.push(
        `${c.name}: "${key}" holds a password inside a URL; it was replaced by \${env:${variable}} (set it where the worker runs, with an env config provider). ` +
          `plan --adopt shows it as a (sensitive) change: apply replaces the literal with the reference.`,
      );
    } else {
      config[key] = value;
    }
  }
  const tasksMax = c.config['tasks.max'];
  const state = c.targetState === 'PAUSED' || c.state === 'PAUSED' ? 'paused' : c.targetState === 'STOPPED' || c.state === 'STOPPED' ? 'stopped' : undefined;
  return {
    name: c.name,
    ...(c.type === 'source' || c.type === 'sink' ? { type: c.type } : {}),
    class: c.config['connector.class'],
    ...(tasksMax !== undefined && /^[1-9][0-9]*$/.test(tasksMax) ? { tasksMax: Number(tasksMax) } : {}),
    ...(state ? { state } : {}),
    config,
  };
}
