/**
 * Target selection: URL precedence (flag > PIPECTL_URL > pipectl.yaml > default), environments, variables, the
 * project id, headers and credentials, and pipectl.yaml errors with their positions.
 */
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { resolveTarget, TargetError } from '../../src/target-selection/index.js';
import type { ResolveTargetOptions } from '../../src/target-selection/index.js';
import { writeTree } from '../support/paths.js';

const PROJECT = `project: shop
runtime:
  url: http://connect.internal:8083/
  headers:
    X-Team: data
    Authorization: Bearer \${env:CONNECT_TOKEN}
variables:
  topicPrefix: shop
  replicas: 3
environments:
  staging:
    runtime:
      url: https://staging.example.com:8443
    variables:
      replicas: 1
      debug: true
  prod:
    runtime:
      basicAuth: { user: deployer, passwordEnv: PROD_CONNECT_PASSWORD }
`;

function withTree<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const tree = writeTree(files);
  try {
    return fn(tree.dir);
  } finally {
    tree.cleanup();
  }
}

const resolveIn = (cwd: string, extra: Partial<ResolveTargetOptions> = {}) => resolveTarget({ cwd, env: { CONNECT_TOKEN: 't0k' }, ...extra });

function targetError(fn: () => unknown): TargetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TargetError) return e;
    throw e;
  }
  assert.fail('expected a TargetError');
}

test('precedence: --url > PIPECTL_URL > pipectl.yaml > default', () => {
  withTree({ 'pipectl.yaml': PROJECT, 'pipelines/a.yaml': '' }, (dir) => {
    const cwd = join(dir, 'pipelines');
    const fromFile = resolveIn(cwd);
    assert.deepEqual([fromFile.url, fromFile.source], ['http://connect.internal:8083', 'pipectl.yaml']);
    assert.deepEqual(fromFile.headers, { 'x-team': 'data', authorization: 'Bearer t0k' });
    assert.equal(fromFile.projectFile, join(dir, 'pipectl.yaml'));

    const fromEnv = resolveIn(cwd, { env: { PIPECTL_URL: 'http://env:1', CONNECT_TOKEN: 'x' } });
    assert.deepEqual([fromEnv.url, fromEnv.source], ['http://env:1', 'env']);
    assert.deepEqual(fromEnv.headers, {}, "pipectl.yaml's headers are not sent to another runtime");

    const fromFlag = resolveIn(cwd, { urlFlag: 'http://flag:2', env: { PIPECTL_URL: 'http://env:1' }, headerFlags: ['X-Trace: on: yes'] });
    assert.deepEqual([fromFlag.url, fromFlag.source], ['http://flag:2', 'flag']);
    assert.deepEqual(fromFlag.headers, { 'x-trace': 'on: yes' });
  });
  withTree({ '.git/HEAD': '' }, (dir) => {
    const t = resolveTarget({ cwd: dir, env: {} });
    assert.deepEqual([t.url, t.source, t.project, t.projectFile], ['http://127.0.0.1:8083', 'default', basename(dir), undefined]);
  });
});

test('--env selects the environment runtime and overlays its variables; an unknown env lists the known ones', () => {
  withTree({ 'pipectl.yaml': PROJECT }, (dir) => {
    const staging = resolveIn(dir, { envName: 'staging' });
    assert.deepEqual([staging.url, staging.source, staging.environment], ['https://staging.example.com:8443', 'pipectl.yaml', 'staging']);
    assert.deepEqual(staging.variables, { topicPrefix: 'shop', replicas: '1', debug: 'true' });
    assert.deepEqual(resolveIn(dir).variables, { topicPrefix: 'shop', replicas: '3' });

    const prod = resolveIn(dir, { envName: 'prod', env: { PROD_CONNECT_PASSWORD: 'pw', CONNECT_TOKEN: 't' } });
    assert.equal(prod.url, 'http://connect.internal:8083', 'an environment without a url keeps runtime.url');
    assert.deepEqual(prod.basicAuth, { user: 'deployer', password: 'pw' });

    const missing = targetError(() => resolveIn(dir, { envName: 'prod' }));
    assert.equal(missing.code, 'PIPECTL_TARGET_MISSING_ENV_VAR');
    assert.match(missing.message, /pipectl\.yaml:19:18: environment variable PROD_CONNECT_PASSWORD is not set/);

    const unknown = targetError(() => resolveIn(dir, { envName: 'qa' }));
    assert.equal(unknown.code, 'PIPECTL_TARGET_UNKNOWN_ENV');
    assert.match(unknown.message, /unknown environment "qa" \(known environments: prod, staging\)/);
  });
  withTree({ '.git/HEAD': '' }, (dir) => {
    assert.match(targetError(() => resolveTarget({ cwd: dir, env: {}, envName: 'prod' })).message, /unknown environment "prod": no pipectl\.yaml was found/);
  });
});

test('project id: pipectl.yaml project, else the folder of pipectl.yaml or the git root', () => {
  withTree({ 'pipectl.yaml': PROJECT }, (dir) => assert.equal(resolveIn(dir).project, 'shop'));
  withTree({ 'repo/pipectl.yaml': 'runtime: { url: "http://a:1" }\n', 'repo/sub/x.yaml': '' }, (dir) => {
    assert.equal(resolveIn(join(dir, 'repo', 'sub')).project, 'repo');
  });
  withTree({ 'gitroot/.git/HEAD': '', 'gitroot/deep/er/x.yaml': '', 'pipectl.yaml': 'project: outside\n' }, (dir) => {
    const t = resolveIn(join(dir, 'gitroot', 'deep', 'er'));
    assert.equal(t.project, 'gitroot', 'the search stops at the git root');
    assert.equal(t.projectFile, undefined);
  });
  withTree({ 'empty/pipectl.yaml': '' }, (dir) => assert.equal(resolveIn(join(dir, 'empty')).project, 'empty'));
});

test('basic auth: --user > PIPECTL_BASIC_AUTH > pipectl.yaml; malformed values are errors that do not echo them', () => {
  withTree({ 'pipectl.yaml': PROJECT }, (dir) => {
    const env = { PROD_CONNECT_PASSWORD: 'file-pw', PIPECTL_BASIC_AUTH: 'envuser:env:pw', CONNECT_TOKEN: 't' };
    assert.deepEqual(resolveIn(dir, { envName: 'prod', env }).basicAuth, { user: 'envuser', password: 'env:pw' });
    assert.deepEqual(resolveIn(dir, { envName: 'prod', env, user: 'cli:pw' }).basicAuth, { user: 'cli', password: 'pw' });
    assert.deepEqual(resolveIn(dir, { env: { PIPECTL_PASSWORD: 'p', CONNECT_TOKEN: 't' }, user: 'cli' }).basicAuth, { user: 'cli', password: 'p' });
    const bad = targetError(() => resolveIn(dir, { env: { PIPECTL_BASIC_AUTH: 'nocolonsecret', CONNECT_TOKEN: 't' } }));
    assert.equal(bad.code, 'PIPECTL_TARGET_INVALID_AUTH');
    assert.doesNotMatch(bad.message, /nocolonsecret/);
    assert.equal(targetError(() => resolveIn(dir, { user: 'cli', env: { CONNECT_TOKEN: 't' } })).code, 'PIPECTL_TARGET_INVALID_AUTH');
  });
});

test('bad --url, --header and ${env:…} header values', () => {
  withTree({ '.git/HEAD': '' }, (dir) => {
    assert.equal(targetError(() => resolveTarget({ cwd: dir, env: {}, urlFlag: 'connect:8083' })).code, 'PIPECTL_TARGET_INVALID_URL');
    assert.match(targetError(() => resolveTarget({ cwd: dir, env: { PIPECTL_URL: 'ftp://x' } })).message, /^PIPECTL_URL "ftp:\/\/x" is not a runtime URL/);
    assert.equal(targetError(() => resolveTarget({ cwd: dir, env: {}, headerFlags: ['NoColon'] })).code, 'PIPECTL_TARGET_INVALID_HEADER');
    const withPassword = targetError(() => resolveTarget({ cwd: dir, env: {}, urlFlag: 'http://me:hunter2@connect:8083' }));
    assert.match(withPassword.message, /^--url contains credentials/);
    assert.doesNotMatch(withPassword.message, /hunter2/);
  });
  withTree({ 'pipectl.yaml': PROJECT }, (dir) => {
    const e = targetError(() => resolveTarget({ cwd: dir, env: {} }));
    assert.equal(e.code, 'PIPECTL_TARGET_MISSING_ENV_VAR');
    assert.match(e.message, /pipectl\.yaml:6:20: environment variable CONNECT_TOKEN is not set/);
  });
});

test('a bad pipectl.yaml is reported with file:line:column for every problem', () => {
  const bad = `project: "my project"
runtime:
  urll: http://x:1
  basicAuth:
    user: me
    password: hunter2
environments:
  prod:
    variables: [a, b]
`;
  withTree({ 'pipectl.yaml': bad }, (dir) => {
    const e = targetError(() => resolveTarget({ cwd: dir, env: {} }));
    assert.equal(e.code, 'PIPECTL_TARGET_PROJECT_FILE');
    const file = join(dir, 'pipectl.yaml');
    const lines = e.message.split('\n');
    assert.ok(lines.some((l) => l.startsWith(`${file}:1:10: project "my project" is not allowed`)), e.message);
    assert.ok(lines.some((l) => l.startsWith(`${file}:3:3: unknown field "urll" in runtime; did you mean "url"?`)), e.message);
    assert.ok(lines.some((l) => l.startsWith(`${file}:6:5: unknown field "password" in runtime.basicAuth`) && l.includes('passwordEnv')), e.message);
    assert.ok(lines.some((l) => l.startsWith(`${file}:4:3: missing required field "passwordEnv"`)), e.message);
    assert.ok(lines.some((l) => l.startsWith(`${file}:9:16: environments.prod.variables must be a mapping`)), e.message);
    assert.equal(lines.length, 5, e.message);
    assert.doesNotMatch(e.message, /hunter2/);
  });
  withTree({ 'pipectl.yaml': 'runtime:\n  url: [\n' }, (dir) => {
    const e = targetError(() => resolveTarget({ cwd: dir, env: {} }));
    assert.match(e.message, new RegExp(`^${join(dir, 'pipectl.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });
  withTree({ 'pipectl.yaml': 'environments:\n  "bad name": {}\n' }, (dir) => {
    assert.match(targetError(() => resolveTarget({ cwd: dir, env: {} })).message, /pipectl\.yaml:2:3: environments: name "bad name" is not allowed/);
  });
});

test('--basic-auth-file: its first line, over PIPECTL_BASIC_AUTH; unreadable or malformed files are errors that do not echo them', () => {
  withTree({ 'pipectl.yaml': PROJECT, 'auth/deployer': 'deployer:pw:with:colons\r\nignored line\n', 'auth/bad': 'nocolonsecret\n' }, (dir) => {
    const env = { PIPECTL_BASIC_AUTH: 'envuser:envpw', CONNECT_TOKEN: 't' };
    assert.deepEqual(resolveIn(dir, { env, basicAuthFile: 'auth/deployer' }).basicAuth, { user: 'deployer', password: 'pw:with:colons' });
    const bad = targetError(() => resolveIn(dir, { env, basicAuthFile: 'auth/bad' }));
    assert.equal(bad.code, 'PIPECTL_TARGET_INVALID_AUTH');
    assert.doesNotMatch(bad.message, /nocolonsecret/);
    assert.match(targetError(() => resolveIn(dir, { env, basicAuthFile: 'auth/missing' })).message, /--basic-auth-file \S+missing cannot be read: ENOENT/);
  });
});

test('TLS files: flags (relative to cwd) over pipectl.yaml runtime.tls (relative to pipectl.yaml), field by field; a certificate needs its key', () => {
  const yaml = `project: shop\nruntime:\n  url: https://connect.internal:8443\n  tls: {caFile: certs/ca.pem, clientCert: certs/me.pem, clientKey: certs/me.key}\nenvironments:\n  prod:\n    runtime:\n      tls: {caFile: certs/prod-ca.pem}\n`;
  withTree({ 'pipectl.yaml': yaml, 'sub/x': '' }, (dir) => {
    const cwd = join(dir, 'sub');
    assert.deepEqual(resolveIn(cwd).tls, { caFile: join(dir, 'certs/ca.pem'), clientCert: join(dir, 'certs/me.pem'), clientKey: join(dir, 'certs/me.key') });
    assert.equal(resolveIn(cwd, { envName: 'prod' }).tls?.caFile, join(dir, 'certs/prod-ca.pem'));
    assert.deepEqual(resolveIn(cwd, { caFile: 'my-ca.pem' }).tls?.caFile, join(cwd, 'my-ca.pem'));
    // pipectl.yaml's TLS files belong to its runtime: not used for another --url.
    assert.equal(resolveIn(cwd, { urlFlag: 'https://elsewhere:8443' }).tls, undefined);
    const half = targetError(() => resolveIn(cwd, { urlFlag: 'https://elsewhere:8443', clientCert: 'me.pem' }));
    assert.equal(half.code, 'PIPECTL_TARGET_TLS_FILE');
    assert.match(half.message, /--client-cert is given without --client-key/);
  });
  withTree({ 'pipectl.yaml': 'runtime:\n  tls: {caFile: ca.pem, password: x}\n' }, (dir) => {
    const e = targetError(() => resolveIn(dir));
    assert.equal(e.code, 'PIPECTL_TARGET_PROJECT_FILE');
    assert.match(e.message, /unknown field "password" in runtime\.tls/);
  });
});
