/** KIP-507 request signing: the MAC over the exact body bytes, and Connect's verification checks in their order. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { HttpError } from '../../../src/runtime/rest/http-error.js';
import { mac, parseSignature, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER, signatureHeaders, signatureMatches, verifyInternalRequest } from '../../../src/runtime/rest/request-signature.js';
import type { InternalRequestVerifier } from '../../../src/runtime/rest/request-signature.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const BODY = Buffer.from('[{"task.id":"0","topic":"t"}]', 'utf8');

test('the MAC is HMAC over the exact body bytes (RFC 4231 vector; Node names of the three JCA Macs)', () => {
  const rfc = mac(Buffer.from('Jefe'), 'HmacSHA256', Buffer.from('what do ya want for nothing?'));
  assert.equal(rfc.toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  for (const [jca, node] of [['HmacSHA1', 'sha1'], ['HmacSHA256', 'sha256'], ['HmacSHA512', 'sha512']] as const) {
    assert.deepEqual(mac(KEY, jca, BODY), createHmac(node, KEY).update(BODY).digest());
  }
  const headers = signatureHeaders(KEY, 'HmacSHA256', BODY);
  assert.equal(headers[SIGNATURE_HEADER], createHmac('sha256', KEY).update(BODY).digest('base64'));
  assert.equal(headers[SIGNATURE_ALGORITHM_HEADER], 'HmacSHA256');
  // The same JSON with other whitespace is other bytes: the signature does not match.
  const parsed = parseSignature(headers[SIGNATURE_HEADER], 'HmacSHA256', BODY);
  assert.ok(parsed && !('unsupported' in parsed) && signatureMatches(parsed, KEY));
  const respaced = parseSignature(headers[SIGNATURE_HEADER], 'HmacSHA256', Buffer.from('[ {"task.id":"0","topic":"t"} ]'));
  assert.ok(respaced && !('unsupported' in respaced) && !signatureMatches(respaced, KEY));
  // A request without a body is signed over zero bytes.
  assert.deepEqual(mac(KEY, 'HmacSHA256', Buffer.alloc(0)), createHmac('sha256', KEY).update('').digest());
});

function verifier(o: { sessioned?: boolean; key?: Buffer; algorithms?: string[] }): InternalRequestVerifier {
  return { sessioned: () => o.sessioned ?? true, verificationAlgorithms: o.algorithms ?? ['HmacSHA256'], sessionKey: () => o.key };
}

/** The status (and message) of verifying a request with these headers, 0 when accepted. */
function check(v: InternalRequestVerifier, signature: string | undefined, algorithm: string | undefined, body = BODY): [number, string] {
  try {
    verifyInternalRequest(v, parseSignature(signature, algorithm, body));
    return [0, ''];
  } catch (e) {
    assert.ok(e instanceof HttpError, String(e));
    return [e.status, e.message];
  }
}

test("verification answers in Connect's order: missing 400, malformed 400, algorithm not accepted 400, no key 503, mismatch 403", () => {
  const good = signatureHeaders(KEY, 'HmacSHA256', BODY)[SIGNATURE_HEADER]!;
  const wrong = signatureHeaders(Buffer.from('another key, same length........'), 'HmacSHA256', BODY)[SIGNATURE_HEADER]!;
  const sha512 = signatureHeaders(KEY, 'HmacSHA512', BODY)[SIGNATURE_HEADER]!;
  const on = verifier({ key: KEY });
  const rows: { what: string; v: InternalRequestVerifier; sig: string | undefined; alg: string | undefined; status: number; message?: RegExp }[] = [
    { what: 'a good signature', v: on, sig: good, alg: 'HmacSHA256', status: 0 },
    { what: 'no headers', v: on, sig: undefined, alg: undefined, status: 400, message: /^Internal request missing required signature$/ },
    { what: 'no algorithm header', v: on, sig: good, alg: undefined, status: 400, message: /missing required signature/ },
    { what: 'no signature header', v: on, sig: undefined, alg: 'HmacSHA256', status: 400, message: /missing required signature/ },
    { what: 'an unknown Mac name', v: on, sig: good, alg: 'HmacFoo', status: 400, message: /HmacFoo not available/ },
    { what: 'bad base64', v: on, sig: '***', alg: 'HmacSHA256', status: 400, message: /base64/ },
    { what: 'a Mac outside the verification list', v: on, sig: sha512, alg: 'HmacSHA512', status: 400, message: /^This worker does not support the 'HmacSHA512' key signing algorithm used by other workers\. This worker is currently configured to use: \[HmacSHA256\]/ },
    { what: 'a JCA Mac this runtime does not compute', v: on, sig: good, alg: 'HmacSHA384', status: 400, message: /does not support the 'HmacSHA384'/ },
    { what: 'the algorithm before the key', v: verifier({}), sig: sha512, alg: 'HmacSHA512', status: 400, message: /does not support/ },
    { what: 'no session key yet', v: verifier({}), sig: wrong, alg: 'HmacSHA256', status: 503, message: /^This worker is still starting up and has not been able to read a session key from the config topic yet$/ },
    { what: 'a wrong signature', v: on, sig: wrong, alg: 'HmacSHA256', status: 403, message: /^Internal request contained invalid signature\.$/ },
    { what: 'a truncated signature', v: on, sig: good.slice(0, 8), alg: 'HmacSHA256', status: 403 },
    { what: 'a second accepted algorithm', v: verifier({ key: KEY, algorithms: ['HmacSHA256', 'HmacSHA512'] }), sig: sha512, alg: 'HmacSHA512', status: 0 },
    { what: 'no headers, group not sessioned', v: verifier({ sessioned: false }), sig: undefined, alg: undefined, status: 0 },
    { what: 'a wrong signature, group not sessioned', v: verifier({ sessioned: false, key: KEY }), sig: wrong, alg: 'HmacSHA256', status: 0 },
    { what: 'malformed headers, group not sessioned (parsed anyway)', v: verifier({ sessioned: false }), sig: good, alg: 'HmacFoo', status: 400 },
    { what: 'bad base64, group not sessioned', v: verifier({ sessioned: false }), sig: 'a', alg: 'HmacSHA256', status: 400 },
  ];
  for (const row of rows) {
    const [status, message] = check(row.v, row.sig, row.alg);
    assert.equal(status, row.status, `${row.what}: ${message}`);
    if (row.message) assert.match(message, row.message, row.what);
    assert.ok(!message.includes(good) && !message.includes(KEY.toString('base64')), 'no signature or key in the answer');
  }
});
