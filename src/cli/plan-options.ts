/** Options shared by `plan` and `apply`: target, variables and plan settings. */
import type { Command } from 'commander';
import { HerderError } from '../herder/errors.js';
import type { VarSource } from '../pipeline-files/variables.js';
import { addVariableOptions } from './variable-options.js';

/** `--runtime-timeout` default, in seconds. */
export const DEFAULT_RUNTIME_TIMEOUT_S = 30;
/** While a loopback port refuses connections, retries stop after this long at most (a starting worker binds sooner). */
export const REFUSED_LOOPBACK_MS = 5_000;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'the runtime\'s REST URL (else PIPECTL_URL, else pipectl.yaml, else http://127.0.0.1:8083)')
    .option('--env <name>', 'an environment of pipectl.yaml (its runtime and variables)')
    .option('--header <header>', 'an HTTP header for a runtime behind a proxy, "Name: value" (repeatable)', collect)
    .option('--ca-file <file>', "PEM CA certificates that signed an https:// runtime's certificate (else the system CAs; else pipectl.yaml runtime.tls.caFile)")
    .option('--client-cert <file>', 'PEM client certificate for a runtime with ssl.client.auth (with --client-key)')
    .option('--client-key <file>', "PEM private key of --client-cert")
    .option('--basic-auth-file <file>', 'a file whose first line is user:password, for a runtime with Basic auth (else PIPECTL_BASIC_AUTH, else pipectl.yaml runtime.basicAuth)')
    .option(
      '--runtime-timeout <seconds>',
      'how long one request keeps retrying a runtime that cannot be reached or answers 503 (starting) or 409 (rebalancing); a refused connection on 127.0.0.1/localhost gives up after at most 5 s, an unknown host at once',
      String(DEFAULT_RUNTIME_TIMEOUT_S),
    );
}

export function addPlanOptions(cmd: Command, varSources: VarSource[]): Command {
  addTargetOptions(cmd)
    .option('--prune', 'delete connectors this project owns that are no longer declared (topics are never deleted)')
    .option('--adopt', 'take ownership of declared connectors that exist but are not owned')
    .option('--restart <name>', 'restart a connector and its tasks (repeatable)', collect)
    .option('--ignore-key <key>', 'a connector or topic config key (or prefix*) that never produces a change (repeatable)', collect)
    .option('--no-color', 'no colours, even on a terminal');
  return addVariableOptions(cmd, varSources);
}

/** One line for an error that reached the CLI. */
export function describeError(e: unknown): string {
  if (e instanceof HerderError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
