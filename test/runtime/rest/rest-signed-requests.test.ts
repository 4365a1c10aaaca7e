/**
 * POST /connectors/{n}/tasks in-process (KIP-507): the signature is checked over the raw bytes before the body is
 * parsed, with Connect's statuses; a good one reaches the herder; without a verifier (standalone) headers are parsed
 * only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Herder } from '../../../src/herder/herder.js';
import { signatureHeaders } from '../../../src/runtime/rest/request-signature.js';
import type { InternalRequestVerifier } from '../../../src/runtime/rest/request-signature.js';
import { startHarness } from './rest-harness.js';

const KEY = Buffer.alloc(32, 3);

test('the leader verifies the raw bytes before parsing them, then hands the task configs to the herder', async () => {
  let sessioned = true;
  const verifier: InternalRequestVerifier = { sessioned: () => sessioned, verificationAlgorithms: ['HmacSHA256'], sessionKey: () => KEY };
  const h = await startHarness({ internalRequests: verifier });
  const written: [string, unknown][] = [];
  const herder: Herder = h.herder;
  herder.putTaskConfigs = async (name, configs) => void written.push([name, configs]);
  try {
    // Unusual spacing and a non-ASCII value: the MAC is over these exact bytes, not over a re-serialisation.
    const body = Buffer.from('[ {"topic" : "ü", "task.class":"T"} ]', 'utf8');
    const ok = await h.request('POST', '/connectors/c/tasks?forward=true', body, signatureHeaders(KEY, 'HmacSHA256', body));
    assert.equal(ok.status, 204, ok.text);
    assert.deepEqual(written, [['c', [{ topic: 'ü', 'task.class': 'T' }]]]);
    const respaced = await h.request('POST', '/connectors/c/tasks', Buffer.from('[{"topic":"ü","task.class":"T"}]'), signatureHeaders(KEY, 'HmacSHA256', body));
    assert.deepEqual([respaced.status, respaced.body], [403, { error_code: 403, message: 'Internal request contained invalid signature.' }]);
    // Checked before parsing: a malformed body without a signature is refused for the signature.
    const unsigned = await h.request('POST', '/connectors/c/tasks', '[{"topic": ');
    assert.deepEqual([unsigned.status, unsigned.body], [400, { error_code: 400, message: 'Internal request missing required signature' }]);
    assert.equal(written.length, 1, 'nothing refused reached the herder');
    sessioned = false;
    const off = await h.request('POST', '/connectors/c/tasks', body);
    assert.equal(off.status, 204, 'not sessioned: no signature needed');
    const malformed = await h.request('POST', '/connectors/c/tasks', body, { 'X-Connect-Authorization': 'AAAA', 'X-Connect-Request-Signature-Algorithm': 'HmacNope' });
    assert.equal(malformed.status, 400, 'malformed headers are refused even when not sessioned');
    assert.ok(!h.logs.some((l) => JSON.stringify(l).includes(KEY.toString('base64'))), 'no key in the log');
  } finally {
    await h.close();
  }
});

test('without a verifier (a standalone worker) the headers are parsed, then the endpoint answers 404', async () => {
  const h = await startHarness();
  try {
    const body = Buffer.from('[]');
    assert.equal((await h.request('POST', '/connectors/c/tasks', body, { 'X-Connect-Authorization': '!!', 'X-Connect-Request-Signature-Algorithm': 'HmacSHA256' })).status, 400);
    assert.equal((await h.request('POST', '/connectors/c/tasks', body, signatureHeaders(KEY, 'HmacSHA256', body))).status, 404);
  } finally {
    await h.close();
  }
});
