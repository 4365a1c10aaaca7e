/**
 * Every error pipectl throws carries a catalogued code (src/diag/codes.ts, docs/errors.md). The rules, read from src/:
 *
 * 1. No `new Error(` outside ALLOWED. A user can see an error (CLI output, a REST answer, a FAILED status's trace, the
 *    worker log, a public API refusing bad input), so it is thrown as its area's class with a `PIPECTL_<AREA>_<WHAT>`
 *    code; a place no input can reach throws InternalError (PIPECTL_INTERNAL) instead, which says so.
 * 2. Every class that extends Error declares `readonly code` with a catalogued type (`keyof typeof X_CODES`, a `…Code`
 *    alias of one, PipectlCode, or a 'PIPECTL_…' literal), and a class that extends another error class extends one of ours
 *    that passes this rule (it inherits the code, or overrides it). No exceptions.
 * 3. Every 'PIPECTL_…' string literal in src/ is a catalogued code or one of pipectl's environment variables, so a
 *    misspelt code fails here rather than in a user's script.
 * 4. The error classes built below carry a catalogued code at run time (codes computed from a kind, defaults, overrides).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ApplyFailure } from '../../src/apply/errors.js';
import { PlanFileError } from '../../src/plan/plan-file.js';
import { PlanInputsError } from '../../src/plan/plan-file-inputs.js';
import { SessionError } from '../../src/cli/session-errors.js';
import { ConversionError } from '../../src/plugins/converter.js';
import { FieldError } from '../../src/converters/field-error.js';
import { DevToolsError } from '../../src/devtools/dev-errors.js';
import { isCataloguedCode } from '../../src/diag/codes.js';
import type { PipectlCode } from '../../src/diag/codes.js';
import { InternalError } from '../../src/diag/internal-error.js';
import { AlreadyExistsError, BadRequestError, ConflictError, HerderError, HerderTimeoutError, NotFoundError, RequestTargetError, ServiceUnavailableError } from '../../src/herder/errors.js';
import { LeaseHeldError, RuntimeUnreachableError } from '../../src/herder/rest-errors.js';
import { ErrantRecordError } from '../../src/plugins/errant-record-error.js';
import { PluginError } from '../../src/plugins/plugin-error.js';
import { RetriableError } from '../../src/plugins/plugin.js';
import { PropertiesSyntaxError } from '../../src/runtime/config/properties.js';
import { WorkerConfigError } from '../../src/runtime/config/worker-config.js';
import { DistributedError } from '../../src/runtime/distributed-error.js';
import { GroupProtocolError } from '../../src/runtime/distributed/kafka-struct.js';
import { DataPlaneError } from '../../src/runtime/data-plane/data-plane-error.js';
import { KafkaConfigError, KafkaError, NotCommittedError } from '../../src/runtime/kafka/port/kafka-error.js';
import { LogError } from '../../src/runtime/log/log-error.js';
import { HttpError } from '../../src/runtime/rest/http-error.js';
import { ClientGoneError } from '../../src/runtime/rest/read-body.js';
import { ConnectorFileError } from '../../src/runtime/standalone/standalone-worker.js';
import { CorruptConnectorFileError, StoreWriteError } from '../../src/runtime/storage/config/config-store-error.js';
import { StateError } from '../../src/runtime/storage/files/state-error.js';
import { StoreError } from '../../src/runtime/storage/kafka-topics/store-error.js';
import { WorkerError } from '../../src/runtime/worker/worker-error.js';
import { StageError } from '../../src/runtime/worker/worker-task.js';
import { ConfigProviderError, SecretsConfigError } from '../../src/secrets/config-provider.js';
import { TargetError } from '../../src/target-selection/target-error.js';
import { TransformStageError } from '../../src/transforms/transformation-chain.js';
import { PatternSyntaxError, TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The `new Error(` that may stay, by file: `exact` entries are settled (a changed count means the list must be looked
 * at again); `atMost` entries would be open work owned elsewhere, which may only shrink (none is left).
 */
const ALLOWED: Record<string, { count: number; kind: 'exact' | 'atMost'; why: string }> = {
  'src/runtime/worker/error-handling.ts': { count: 1, kind: 'exact', why: 'wraps a non-Error value a plugin threw, to read its message and stack for the log and the DLQ headers; never thrown' },
  'src/runtime/kafka/topic-watcher.ts': { count: 1, kind: 'exact', why: 'wraps a non-Error value kafkajs threw, for onFatal (which takes an Error); never thrown' },
};


/** pipectl's environment variables, which share the prefix. */
const ENV_VARS = new Set(['PIPECTL_URL', 'PIPECTL_BASIC_AUTH', 'PIPECTL_PASSWORD', 'PIPECTL_APPLIED_BY', 'PIPECTL_TEST_KAFKA_BOOTSTRAP']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const FILES = sources(join(REPO_ROOT, 'src')).map((p) => ({ path: relative(REPO_ROOT, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }));

test('no bare `new Error(` in src/ outside the allow-list: a typed error with a code, or InternalError', () => {
  const found = new Map<string, number>();
  for (const f of FILES) {
    const n = f.text.match(/\bnew Error\(/g)?.length ?? 0;
    if (n > 0) found.set(f.path, n);
  }
  const problems: string[] = [];
  for (const [path, n] of found) {
    const allowed = ALLOWED[path];
    if (!allowed) problems.push(`${path}: ${n} × new Error( — throw the area's error class with a catalogued code, or InternalError where no input can reach`);
    else if (n > allowed.count) problems.push(`${path}: ${n} × new Error(, the allow-list says ${allowed.count} (${allowed.why})`);
  }
  for (const [path, allowed] of Object.entries(ALLOWED)) {
    const n = found.get(path) ?? 0;
    if (allowed.kind === 'exact' && n !== allowed.count) problems.push(`${path}: ${n} × new Error(, the allow-list says exactly ${allowed.count}: update ALLOWED`);
  }
  assert.deepEqual(problems, []);
});

interface ErrorClass {
  name: string;
  parent: string;
  /** `CodedError<X>`'s X: the code type of a class declared on the base (src/diag/coded-error.ts). */
  typeArgument?: string;
  path: string;
  body: string;
}

/** `class X extends YError {…}` declarations, with their bodies (braces counted; error classes hold no unbalanced ones). */
function errorClasses(): ErrorClass[] {
  const out: ErrorClass[] = [];
  for (const f of FILES) {
    for (const m of f.text.matchAll(/\bclass (\w+)(?:<[^>]*>)? extends (\w*Error)\b(?:<([^>]+)>)?[^{]*\{/g)) {
      let depth = 1;
      let i = m.index + m[0].length;
      for (; i < f.text.length && depth > 0; i++) {
        if (f.text[i] === '{') depth++;
        else if (f.text[i] === '}') depth--;
      }
      out.push({ name: m[1]!, parent: m[2]!, typeArgument: m[3], path: f.path, body: f.text.slice(m.index + m[0].length, i - 1) });
    }
  }
  return out;
}

/** The type or literal of `readonly code` in a class body (a field or a constructor parameter), or undefined. */
function declaredCode(body: string): string | undefined {
  const m = /\breadonly code\b\s*(?::\s*([^=;,\n)]+?))?\s*(?:=\s*([^;\n]+?))?\s*[;,\n)]/.exec(body);
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? '').trim();
}

/** A catalogued type: a `…Code` alias or `keyof typeof X_CODES` (a catalogue's keys), or 'PIPECTL_…' literals (rule 3). */
function isCataloguedType(type: string): boolean {
  return type.split('|').every((t) => /^\s*(?:\w+Code|keyof typeof [A-Z_]+_CODES|'PIPECTL_[A-Z0-9_]+'(?:\s+as const)?)\s*$/.test(t));
}

test('every error class declares a catalogued `code`, or extends one of ours that does', () => {
  const classes = errorClasses();
  const byName = new Map(classes.map((c) => [c.name, c]));
  const coded = (c: ErrorClass, seen = new Set<string>()): string | undefined => {
    if (seen.has(c.name)) return `${c.name}: circular extends`;
    seen.add(c.name);
    if (c.name === 'CodedError' && c.path === 'src/diag/coded-error.ts') return undefined; // the base: its code is a type parameter bound by PipectlCode
    if (c.parent === 'CodedError') return c.typeArgument !== undefined && isCataloguedType(c.typeArgument) ? undefined : `${c.path}: ${c.name} extends CodedError<${c.typeArgument ?? ''}>, not a catalogued code type`;
    const own = declaredCode(c.body);
    if (own !== undefined) return isCataloguedType(own) ? undefined : `${c.path}: ${c.name}'s code is typed "${own}", not a catalogued code type`;
    if (c.parent === 'Error') return `${c.path}: ${c.name} extends Error without \`readonly code\` (a PIPECTL_ code from src/diag/codes.ts)`;
    const parent = byName.get(c.parent);
    if (!parent) return `${c.path}: ${c.name} extends ${c.parent}, which is not one of pipectl's coded error classes`;
    return coded(parent, seen);
  };
  const problems = classes.map((c) => coded(c)).filter((p) => p !== undefined);
  assert.deepEqual(problems, []);
  assert.ok(classes.length > 30, `the scan found only ${classes.length} error classes: is the regular expression still right?`);
});

test("every quoted 'PIPECTL_…' literal in src/ is a catalogued code (or an environment variable)", () => {
  const problems: string[] = [];
  for (const f of FILES) {
    for (const m of f.text.matchAll(/['"`](PIPECTL_[A-Z0-9_]+)['"`]/g)) {
      if (!isCataloguedCode(m[1]) && !ENV_VARS.has(m[1]!)) problems.push(`${f.path}: ${m[1]}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('error classes carry a catalogued code at run time', () => {
  // @ts-expect-error: PipectlCode is the union of the catalogue's codes, not any string.
  const notACode: PipectlCode = 'PIPECTL_NOT_A_CODE';
  assert.equal(isCataloguedCode(notACode), false);
  const errors: { code: unknown; name: string }[] = [
    new ApplyFailure('PIPECTL_APPLY_REJECTED', 'm'),
    new PlanFileError('m'),
    new PlanInputsError('m'),
    new SessionError('PIPECTL_CLI_USAGE', 'm'),
    new ConversionError('m'),
    new FieldError('m'),
    new DevToolsError('PIPECTL_DEV_ABORTED', 'm'),
    new InternalError('m'),
    new HerderError('internal', 'm'),
    new NotFoundError('m'),
    new AlreadyExistsError('m'),
    new BadRequestError('m'),
    new ConflictError('m'),
    new HerderTimeoutError('m'),
    new ServiceUnavailableError('m'),
    new RequestTargetError('m', undefined),
    new RuntimeUnreachableError('http://x', 'connection refused', 1),
    new LeaseHeldError('m'),
    new PluginError('PIPECTL_PLUGIN_FAILED', 'm'),
    new RetriableError('m'),
    new ErrantRecordError('m', { 'http.status': '400' }),
    new PropertiesSyntaxError('m', 1),
    new WorkerConfigError('m'),
    new DistributedError('PIPECTL_DISTRIBUTED_STOPPED', 'm'),
    new GroupProtocolError('PIPECTL_GROUP_BAD_PROTOCOL', 'm'),
    new LogError('PIPECTL_LOG_CORRUPT', 'm'),
    new KafkaError('PIPECTL_KAFKA_UNREACHABLE', 'm'),
    new KafkaConfigError('m'),
    new NotCommittedError(),
    new HttpError(404, 'm'),
    new ClientGoneError('aborted'),
    new DataPlaneError('PIPECTL_LOG_CLOSED', 'm'),
    new ConnectorFileError('f', 'm'),
    new CorruptConnectorFileError('f', 'm'),
    new StoreWriteError('c', 'save', 'm'),
    new StateError('PIPECTL_STATE_DAMAGED', 'm'),
    new StoreError('PIPECTL_STORE_TIMEOUT', 'm'),
    new WorkerError('PIPECTL_WORKER_STAGE_FAILED', 'm'),
    new StageError('task poll', 'm'),
    new ConfigProviderError('m'),
    new SecretsConfigError('m'),
    new TargetError('PIPECTL_TARGET_UNKNOWN_ENV', []),
    new TransformStageError('a', 'C', 'm'),
    new PatternSyntaxError('m'),
    new TransformConfigError('k', 'm'),
    new TransformDataError('m'),
  ];
  assert.deepEqual(errors.filter((e) => !isCataloguedCode(e.code)).map((e) => `${e.name}: ${String(e.code)}`), []);
  // The codes that a class derives rather than takes: one per herder kind, and the subclasses' finer ones.
  assert.equal(new NotFoundError('m').code, 'PIPECTL_HERDER_NOT_FOUND');
  assert.equal(new RuntimeUnreachableError('http://x', 'r', 1).code, 'PIPECTL_RUNTIME_UNREACHABLE');
  assert.equal(new LeaseHeldError('m').code, 'PIPECTL_APPLY_LOCKED');
  assert.equal(new StoreWriteError('c', 'save', 'm').code, 'PIPECTL_WORKER_STORE_WRITE_FAILED');
  assert.equal(new WorkerConfigError('m').code, 'PIPECTL_WORKER_INVALID_CONFIG');
});
