/** Who holds the apply lease, and when a holder is provably gone (same host, no such pid): pure rules, table-tested. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goneHolder, leaseHolder, parseHolder } from '../../src/apply/lease-holder.js';

test('holder strings: written as user@host pid N, read back; other forms are not parsed', () => {
  assert.deepEqual(parseHolder(leaseHolder(4242, 'ci-runner-7')), { host: 'ci-runner-7', pid: 4242 });
  assert.deepEqual(parseHolder('a@b@host pid 1'), { host: 'host', pid: 1 });
  for (const other of ['alice', 'alice@ci', 'alice@ci pid', 'alice@ci pid x', 'alice@ci pid 0']) assert.equal(parseHolder(other), undefined, other);
});

test('a holder is gone only when it is on this host and its pid does not exist', () => {
  const none = (): boolean => false;
  const alive = (): boolean => true;
  assert.match(goneHolder('u@here pid 123', 'here', none) ?? '', /no process 123 runs on this host \(here\)/);
  assert.equal(goneHolder('u@here pid 123', 'here', alive), undefined, 'a live (or reused) pid: wait, as before');
  assert.equal(goneHolder('u@elsewhere pid 123', 'here', none), undefined, 'another host: cannot be known');
  assert.equal(goneHolder('someone by hand', 'here', none), undefined);
  assert.equal(goneHolder(`u@here pid ${process.pid}`, 'here', none), undefined, 'never ourselves');
});
