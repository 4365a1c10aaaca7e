import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createConfigTransformer, hasReference, SecretsConfigError } from '../../src/secrets/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pipectl-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const secretsDir = join(dir, 'secrets');
const otherDir = join(dir, 'other');
mkdirSync(secretsDir);
mkdirSync(otherDir);
mkdirSync(join(secretsDir, 'k8s'));
const dbProps = join(secretsDir, 'db.properties');
writeFileSync(dbProps, '# credentials\ndb.user=app\ndb.password = s3cr\\u00e9t!\nurl: jdbc:pg://h:5432/x\n');
writeFileSync(join(otherDir, 'leak.properties'), 'db.password=outside\n');
writeFileSync(join(secretsDir, 'k8s', 'api-token'), 'tok-123\n');
writeFileSync(join(otherDir, 'token'), 'outside-token');

const FULL = 'org.apache.kafka.common.config.provider';
const env = { DB_PASSWORD: 'hunter2', APP_USER: 'alice', HOME: '/home/alice', EMPTY: '' };

function transformer(extra: Record<string, string> = {}) {
  return createConfigTransformer(
    {
      'config.providers': 'env,file,directory',
      'config.providers.env.class': `${FULL}.EnvVarConfigProvider`,
      'config.providers.file.class': `${FULL}.FileConfigProvider`,
      'config.providers.directory.class': `${FULL}.DirectoryConfigProvider`,
      ...extra,
    },
    { env },
  );
}

test('Connect\'s class names configure env, file and directory providers', () => {
  const t = transformer();
  assert.deepEqual(t.providerNames, ['env', 'file', 'directory']);
  const r = t.transform({
    'connection.password': '${env:DB_PASSWORD}',
    'connection.user': '${file:' + dbProps + ':db.user}',
    'db.password': '${file:' + dbProps + ':db.password}',
    'connection.url': '${file:' + dbProps + ':url}',
    token: '${directory:' + join(secretsDir, 'k8s') + ':api-token}',
    plain: 'no references here',
  });
  assert.deepEqual(r.config, {
    'connection.password': 'hunter2',
    'connection.user': 'app',
    'db.password': 's3crét!',
    'connection.url': 'jdbc:pg://h:5432/x',
    token: 'tok-123\n',
    plain: 'no references here',
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(new Set(r.secrets), new Set(['hunter2', 'app', 's3crét!', 'jdbc:pg://h:5432/x', 'tok-123\n']));
});

test('short class names work too, and params reach the provider', () => {
  for (const names of [['EnvVarConfigProvider', 'FileConfigProvider', 'DirectoryConfigProvider'], ['EnvVar', 'File', 'Directory'], ['env', 'file', 'directory']]) {
    const t = createConfigTransformer(
      { 'config.providers': ' e , f ,d', 'config.providers.e.class': names[0]!, 'config.providers.f.class': names[1]!, 'config.providers.d.class': names[2]! },
      { env },
    );
    const r = t.transform({ a: '${e:APP_USER}', b: '${f:' + dbProps + ':db.user}', c: '${d:' + join(secretsDir, 'k8s') + ':api-token}' });
    assert.deepEqual(r.config, { a: 'alice', b: 'app', c: 'tok-123\n' }, names.join());
  }
});

test('several references in one value, with text around them, all resolve', () => {
  const r = transformer().transform({ url: 'postgres://${env:APP_USER}:${env:DB_PASSWORD}@db:5432/${file:' + dbProps + ':db.user}?x=${env:APP_USER}' });
  assert.equal(r.config['url'], 'postgres://alice:hunter2@db:5432/app?x=alice');
  assert.deepEqual(r.errors, []);
});

test('an unknown provider is left as written, with a warning', () => {
  const r = transformer().transform({ password: '${vault:secret/data/db:password}', n: 'x${var:NAME}y' });
  assert.deepEqual(r.config, { password: '${vault:secret/data/db:password}', n: 'x${var:NAME}y' });
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]!, /^password: \$\{vault:secret\/data\/db:password\} was left as written: no config provider named "vault" \(config.providers: env, file, directory\)$/);
  assert.match(r.errors[1]!, /\$\{var:…\} is a pipectl variable/);
  assert.deepEqual(r.secrets, []);
});

test('without config.providers nothing resolves and the worker still starts', () => {
  const t = createConfigTransformer({}, { env });
  const r = t.transform({ p: '${env:DB_PASSWORD}' });
  assert.deepEqual([r.config['p'], r.errors], ['${env:DB_PASSWORD}', ['p: ${env:DB_PASSWORD} was left as written: no config provider named "env" (config.providers: none)']]);
});

test('a missing key is left as written, the rest of the value still resolves, and warnings never show values', () => {
  const r = transformer().transform({
    a: '${env:NOPE}/${env:DB_PASSWORD}',
    b: '${file:' + dbProps + ':nope}',
    c: '${directory:' + join(secretsDir, 'k8s') + ':nope}',
    d: '${file:' + join(dir, 'missing.properties') + ':x}',
    e: '${env:EMPTY}',
  });
  assert.equal(r.config['a'], '${env:NOPE}/hunter2');
  assert.equal(r.config['b'], '${file:' + dbProps + ':nope}');
  assert.equal(r.config['c'], '${directory:' + join(secretsDir, 'k8s') + ':nope}');
  assert.equal(r.config['d'], '${file:' + join(dir, 'missing.properties') + ':x}');
  assert.equal(r.config['e'], '', 'an empty variable is a value');
  assert.deepEqual(r.errors, [
    'a: ${env:NOPE} was left as written: environment variable NOPE is not set',
    `b: \${file:${dbProps}:nope} was left as written: the file ${dbProps} has no key "nope"`,
    `c: \${directory:${join(secretsDir, 'k8s')}:nope} was left as written: the directory ${join(secretsDir, 'k8s')} has no file "nope"`,
    `d: \${file:${join(dir, 'missing.properties')}:x} was left as written: config provider "file" failed: Could not read properties from file ${join(dir, 'missing.properties')} (ENOENT)`,
  ]);
  for (const e of r.errors) for (const s of ['hunter2', 's3crét!', 'tok-123']) assert.ok(!e.includes(s));
});

test('the env provider: allowlist.pattern must match the whole name; a path is an error', () => {
  const t = transformer({ 'config.providers.env.param.allowlist.pattern': 'APP_.*|DB_PASS' });
  const r = t.transform({ a: '${env:APP_USER}', b: '${env:DB_PASSWORD}', c: '${env:HOME}', d: '${env:some/path:APP_USER}' });
  assert.deepEqual(r.config, { a: 'alice', b: '${env:DB_PASSWORD}', c: '${env:HOME}', d: '${env:some/path:APP_USER}' });
  assert.deepEqual(r.errors, [
    'b: ${env:DB_PASSWORD} was left as written: environment variable DB_PASSWORD does not match allowlist.pattern "APP_.*|DB_PASS"',
    'c: ${env:HOME} was left as written: environment variable HOME does not match allowlist.pattern "APP_.*|DB_PASS"',
    "d: ${env:some/path:APP_USER} was left as written: config provider \"env\" failed: Path is not supported for EnvVarConfigProvider, invalid value 'some/path'",
  ]);
  assert.throws(() => transformer({ 'config.providers.env.param.allowlist.pattern': '(' }), (e: unknown) => e instanceof SecretsConfigError && /allowlist.pattern/.test(e.message));
});

test('allowed.paths: file and directory references outside are refused, also through ..', () => {
  const t = transformer({ 'config.providers.file.param.allowed.paths': `${secretsDir}/`, 'config.providers.directory.param.allowed.paths': `${secretsDir}/k8s/../k8s` });
  const r = t.transform({
    ok: '${file:' + dbProps + ':db.user}',
    out: '${file:' + join(otherDir, 'leak.properties') + ':db.password}',
    dotdot: '${file:' + join(secretsDir, '..', 'other', 'leak.properties') + ':db.password}',
    prefix: '${file:' + secretsDir + '-evil/x.properties:db.password}',
    relative: '${file:db.properties:db.user}',
    dirOk: '${directory:' + join(secretsDir, 'k8s') + ':api-token}',
    dirOut: '${directory:' + otherDir + ':token}',
    escape: '${directory:' + join(secretsDir, 'k8s') + ':../../other/token}',
  });
  assert.equal(r.config['ok'], 'app');
  assert.equal(r.config['dirOk'], 'tok-123\n');
  for (const k of ['out', 'dotdot', 'prefix', 'relative', 'dirOut', 'escape']) assert.match(r.config[k]!, /^\$\{/, k);
  const refusedKeys = r.errors.filter((e) => /outside allowed.paths/.test(e)).map((e) => e.split(':')[0]);
  assert.deepEqual(refusedKeys, ['out', 'dotdot', 'prefix', 'relative', 'dirOut']);
  assert.match(r.errors.find((e) => e.startsWith('escape:'))!, /has no file "\.\.\/\.\.\/other\/token"/, 'a key is a file name, never a path');
  for (const e of r.errors) assert.ok(!e.includes('outside-token') && !e.includes('=outside'));
});

test('allowed.paths entries must be absolute and exist', () => {
  assert.throws(() => transformer({ 'config.providers.file.param.allowed.paths': 'relative/dir' }), /config provider "file": Path relative\/dir is not absolute/);
  assert.throws(() => transformer({ 'config.providers.directory.param.allowed.paths': join(dir, 'nope') }), /config provider "directory": Path .*nope does not exist/);
});

test('directory references follow symlinks to regular files but never read directories', () => {
  symlinkSync(join(otherDir, 'token'), join(secretsDir, 'k8s', 'linked'));
  const r = transformer().transform({ a: '${directory:' + join(secretsDir, 'k8s') + ':linked}', b: '${directory:' + secretsDir + ':k8s}', c: '${directory:' + dbProps + ':x}' });
  assert.equal(r.config['a'], 'outside-token');
  assert.equal(r.config['b'], '${directory:' + secretsDir + ':k8s}');
  assert.match(r.errors.find((e) => e.startsWith('c:'))!, /is not a directory/);
});

test('bad provider settings fail at creation', () => {
  assert.throws(() => createConfigTransformer({ 'config.providers': 'x' }), /config.providers.x.class is required/);
  assert.throws(() => createConfigTransformer({ 'config.providers': 'x', 'config.providers.x.class': 'com.acme.Vault' }), /unknown config provider class/);
  assert.throws(() => createConfigTransformer({ 'config.providers': 'var', 'config.providers.var.class': 'env' }), /reserved/);
  assert.throws(() => createConfigTransformer({ 'config.providers': 'e,e', 'config.providers.e.class': 'env' }), /listed twice/);
});

test('extra provider classes can be plugged in by class name', () => {
  let calls = 0;
  const t = createConfigTransformer(
    { 'config.providers': 'vault', 'config.providers.vault.class': 'com.acme.VaultConfigProvider', 'config.providers.vault.param.prefix': 'v-' },
    { factories: { 'com.acme.VaultConfigProvider': (params) => ({ get: (path, keys) => (calls++, { data: new Map([...keys].map((k) => [k, `${params['prefix']}${path}/${k}`])) }) }) } },
  );
  const r = t.transform({ a: '${vault:db:user}', b: '${vault:db:password}', c: '${vault:kv:x}' });
  assert.deepEqual(r.config, { a: 'v-db/user', b: 'v-db/password', c: 'v-kv/x' });
  assert.equal(calls, 2, 'one lookup per provider and path, as in Connect');
});

test('Connect\'s pattern: provider, optional path, key; the first colon ends the provider', () => {
  const seen: [string, string][] = [];
  const t = createConfigTransformer(
    { 'config.providers': 'p', 'config.providers.p.class': 'X' },
    { factories: { X: () => ({ get: (path, keys) => ({ data: new Map([...keys].map((k) => (seen.push([path, k]), [k, 'v']))) }) }) } },
  );
  t.transform({ a: '${p:k}', b: '${p:path:k}', c: '${p:a:b:c}', d: '${p:}', e: '$${p:k2}' });
  assert.deepEqual(seen.sort(), [['', ''], ['', 'k'], ['', 'k2'], ['a', 'b:c'], ['path', 'k']].sort());
  assert.equal(hasReference('x ${env:A} y'), true);
  assert.equal(hasReference('${noColon}'), false);
  assert.equal(hasReference('plain'), false);
});
