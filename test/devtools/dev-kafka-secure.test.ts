/**
 * `pipectl dev kafka --secure`: the printed lines name the listeners, the CA and the settings files but no password;
 * the files are the owner's only; the settings reach the broker; a restart in the same folder reuses the CA and the
 * user; a folder formatted without --secure is refused.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { parseProperties } from '../../src/runtime/config/properties.js';
import { openKafkaDataPlane } from '../../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { runCli } from '../support/run-cli.js';

const SECURE_LINES = /^Kafka \S+ ready at 127\.0\.0\.1:\d+ \(started in \d+ ms\)\n {2}SASL_SSL at (127\.0\.0\.1:\d+): SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN as user "pipectl"\n {2}SSL at (127\.0\.0\.1:\d+): .*\n {2}CA certificate: (\S+) \(PKCS12 truststore: \S+\)\n {2}worker settings .*\n {4}(\S+client-sasl-ssl\.properties)\n {4}(\S+client-ssl\.properties)\n$/;

async function clusterIdWith(settingsFile: string): Promise<string> {
  const plane = await openKafkaDataPlane({ workerConfig: parseProperties(readFileSync(settingsFile, 'utf8')), logger: silentLogger });
  try {
    return plane.clusterId;
  } finally {
    await plane.close();
  }
}

test('dev kafka --secure prints where its settings are, not the passwords; they reach the broker; a restart reuses the CA and the user', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-secure-'));
  let pid: number | undefined;
  t.after(() => {
    if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (): { out: RegExpExecArray; stdout: string } => {
    const started = runCli(['dev', 'kafka', '--secure', '--background', '--port', '0', '--data-dir', 'ks', '--pid-file', 'ks.pid'], { cwd: dir });
    assert.equal(started.code, 0, started.stderr);
    pid = Number(readFileSync(join(dir, 'ks.pid'), 'utf8').split('\n')[0]);
    const out = SECURE_LINES.exec(started.stdout);
    assert.ok(out, started.stdout);
    return { out, stdout: started.stdout + started.stderr };
  };
  const first = start();
  const [, , , caFile, saslFile, sslFile] = first.out as unknown as string[];
  const credentials = JSON.parse(readFileSync(join(dir, 'ks', 'secure', 'credentials.json'), 'utf8')) as { storePassword: string; user: { password: string } };
  for (const secret of [credentials.storePassword, credentials.user.password]) assert.ok(!first.stdout.includes(secret), 'no password printed');
  for (const f of [saslFile!, sslFile!, join(dir, 'ks', 'secure', 'credentials.json'), join(dir, 'ks', 'server.properties')]) assert.equal(statSync(f).mode & 0o077, 0, `${f} is the owner's only`);
  assert.ok(readFileSync(saslFile!, 'utf8').includes(`password="${credentials.user.password}"`), 'the settings file holds the password to paste');
  const id = await clusterIdWith(saslFile!);
  assert.equal(await clusterIdWith(sslFile!), id);
  assert.equal(runCli(['dev', 'kafka', 'stop', '--pid-file', 'ks.pid'], { cwd: dir }).code, 0);

  const ca = readFileSync(caFile!, 'utf8');
  const second = start();
  assert.equal(readFileSync(second.out[3]!, 'utf8'), ca, 'the same CA');
  assert.equal(await clusterIdWith(second.out[4]!), id, 'the SCRAM user made at format time still authenticates');
  assert.equal(runCli(['dev', 'kafka', 'stop', '--pid-file', 'ks.pid'], { cwd: dir }).code, 0);
});

test('dev kafka --secure refuses a data folder formatted without it (its metadata has no SCRAM user)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-secure-'));
  try {
    mkdirSync(join(dir, 'plain', 'kraft'), { recursive: true });
    writeFileSync(join(dir, 'plain', 'kraft', 'meta.properties'), 'version=1\n');
    const r = runCli(['dev', 'kafka', '--secure', '--port', '0', '--data-dir', 'plain'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /was made without --secure, so its metadata has no SCRAM user: use another --data-dir .*\[PIPECTL_DEV_INVALID_OPTIONS\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
