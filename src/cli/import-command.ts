/**
 * `pipectl import [names...]`: writes pipeline YAML for live connectors, so an existing Connect cluster can be brought
 * under management (then `plan --adopt` shows only the adoption). Literal secret-looking values are replaced by
 * `${env:…}` references, with a warning: secrets never land in Git.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { readLiveConnectors } from '../herder/rest-client.js';
import { isIgnoredKey } from '../plan/normalise.js';
import { isSensitive } from '../plan/sensitivity.js';
import type { LiveConnector } from '../plan/types.js';
import { containsSecretReference } from '../spec/references.js';
import { connect } from './plan-session.js';
import { addTargetOptions, describeError } from './plan-options.js';

interface ImportFlags {
  url?: string;
  env?: string;
  header?: string[];
  match?: string;
  pipeline: string;
  out?: string;
}

export function registerImportCommand(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('import')
    .description('write pipeline YAML for connectors that already run on the runtime')
    .argument('[names...]', 'connectors to import (default: all, or those matching --match)')
    .option('--match <regex>', 'import the connectors whose names match this regular expression')
    .option('--pipeline <name>', 'metadata.name of the written pipeline', 'imported')
    .option('--out <file>', 'write to this file instead of standard output');
  addTargetOptions(cmd).action(async (names: string[], flags: ImportFlags) => {
    try {
      const { herder } = connect(flags);
      const pattern = flags.match ? new RegExp(flags.match) : undefined;
      const live = (await readLiveConnectors(herder)).filter((c) => (names.length === 0 || names.includes(c.name)) && (!pattern || pattern.test(c.name)));
      const missing = names.filter((n) => !live.some((c) => c.name === n));
      if (missing.length > 0) throw new Error(`no such connector on the runtime: ${missing.join(', ')}`);
      const warnings: string[] = [];
      const doc = {
        apiVersion: 'pipectl.dev/v1',
        kind: 'Pipeline',
        metadata: { name: flags.pipeline },
        spec: { connectors: live.map((c) => toDeclaration(c, warnings)) },
      };
      const yaml = `# Imported by pipectl from ${herder.url}. Review it, commit it, then run "pipectl plan --adopt".\n${stringify(doc, { lineWidth: 0 })}`;
      if (flags.out) writeFileSync(flags.out, yaml);
      else process.stdout.write(yaml);
      for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
      process.stderr.write(`Imported ${live.length} connector${live.length === 1 ? '' : 's'}${flags.out ? ` into ${flags.out}` : ''}.\n`);
      setExit(0);
    } catch (e) {
      process.stderr.write(`Error: ${describeError(e)}\n`);
      setExit(1);
    }
  });
}

function toDeclaration(c: LiveConnector, warnings: string[]): Record<string, unknown> {
  const config: Record<string, string> = {};
  for (const key of Object.keys(c.config).sort()) {
    if (key === 'connector.class' || key === 'tasks.max' || isIgnoredKey(key, [])) continue;
    const value = c.config[key]!;
    if (isSensitive(key, value) && !containsSecretReference(value)) {
      const variable = `${c.name}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      config[key] = `\${env:${variable}}`;
      warnings.push(`${c.name}: the value of "${key}" looks secret; it was replaced by \${env:${variable}} (set it where the worker runs, with an env config provider)`);
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
