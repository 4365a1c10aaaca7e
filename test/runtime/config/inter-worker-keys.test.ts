/** connect.protocol and the inter.worker.* keys of a distributed worker: defaults and typed refusals. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toInterWorkerSettings } from '../../../src/runtime/config/inter-worker-keys.js';
import { toDistributedSettings } from '../../../src/runtime/config/distributed-config.js';
import { WorkerConfigError } from '../../../src/runtime/config/worker-config-error.js';

test('defaults as in Connect 4.x: sessioned, HmacSHA256 keys of 256 bits for an hour', () => {
  assert.deepEqual(toInterWorkerSettings({}), { connectProtocol: 'sessioned', keyGenerationAlgorithm: 'HmacSHA256', keySizeBits: 256, keyTtlMs: 3_600_000, signatureAlgorithm: 'HmacSHA256', verificationAlgorithms: ['HmacSHA256'] });
  const s = toInterWorkerSettings({ 'connect.protocol': 'COMPATIBLE', 'inter.worker.key.generation.algorithm': 'HmacSHA512', 'inter.worker.key.ttl.ms': '0', 'inter.worker.signature.algorithm': 'HmacSHA1', 'inter.worker.verification.algorithms': 'HmacSHA256, HmacSHA1' });
  assert.deepEqual(s, { connectProtocol: 'compatible', keyGenerationAlgorithm: 'HmacSHA512', keySizeBits: 512, keyTtlMs: 0, signatureAlgorithm: 'HmacSHA1', verificationAlgorithms: ['HmacSHA256', 'HmacSHA1'] });
  assert.equal(toInterWorkerSettings({ 'inter.worker.key.size': '128' }).keySizeBits, 128);
  const distributed = toDistributedSettings({ 'bootstrap.servers': 'k:9092', 'group.id': 'g', 'config.storage.topic': 'c', 'offset.storage.topic': 'o', 'status.storage.topic': 's', 'inter.worker.key.ttl.ms': '60000' }, '/tmp');
  assert.equal(distributed.interWorker.keyTtlMs, 60000, 'inter.worker.* keys are honoured, no longer refused');
});

test('refusals name the key and carry a typed code', () => {
  const rows: [Record<string, string>, string, RegExp][] = [
    [{ 'connect.protocol': 'eager' }, 'PIPECTL_WORKER_UNSUPPORTED_PROTOCOL', /connect\.protocol=eager/],
    [{ 'connect.protocol': 'fancy' }, 'PIPECTL_WORKER_INVALID_CONFIG', /connect\.protocol/],
    [{ 'inter.worker.key.generation.algorithm': 'AES' }, 'PIPECTL_WORKER_INTER_WORKER_CONFIG', /inter\.worker\.key\.generation\.algorithm=AES/],
    [{ 'inter.worker.signature.algorithm': 'HmacSHA384' }, 'PIPECTL_WORKER_INTER_WORKER_CONFIG', /inter\.worker\.signature\.algorithm/],
    [{ 'inter.worker.signature.algorithm': 'HmacSHA512' }, 'PIPECTL_WORKER_INTER_WORKER_CONFIG', /must be one of inter\.worker\.verification\.algorithms/],
    [{ 'inter.worker.verification.algorithms': ' , ' }, 'PIPECTL_WORKER_INTER_WORKER_CONFIG', /at least one/],
    [{ 'inter.worker.verification.algorithms': 'HmacSHA256,HmacMD5' }, 'PIPECTL_WORKER_INTER_WORKER_CONFIG', /HmacMD5/],
    [{ 'inter.worker.key.size': '100' }, 'PIPECTL_WORKER_INTER_WORKER_CONFIG', /inter\.worker\.key\.size/],
    [{ 'inter.worker.key.ttl.ms': '-1' }, 'PIPECTL_WORKER_INVALID_CONFIG', /inter\.worker\.key\.ttl\.ms/],
    [{ 'inter.worker.key.ttl.ms': '2147483648' }, 'PIPECTL_WORKER_INVALID_CONFIG', /inter\.worker\.key\.ttl\.ms/],
  ];
  for (const [raw, code, message] of rows) {
    assert.throws(() => toInterWorkerSettings(raw), (e: unknown) => e instanceof WorkerConfigError && e.code === code && message.test(e.message), JSON.stringify(raw));
  }
});
