/**
 * Distributed-mode forwarding at the REST edge (Connect's completeOrForwardRequest): a herder that throws
 * RequestTargetError has the request answered by the target worker — at most two hops, 409 when no target is known.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RequestTargetError } from '../../../src/herder/errors.js';
import type { ConnectorConfig, ConnectorInfo, InitialState } from '../../../src/herder/types.js';
import { sourceConfig, startHarness } from './rest-harness.js';
import type { Harness } from './rest-harness.js';

let leader: Harness;
let follower: Harness;
let leaderUrl: string | undefined;
const seenByLeader: string[] = [];

before(async () => {
  leader = await startHarness();
  follower = await startHarness();
  leaderUrl = leader.server.url;
  // The follower knows it is not the leader for writes; the leader performs them.
  follower.herder.createConnector = async (name: string, _config: ConnectorConfig, _initial?: InitialState): Promise<ConnectorInfo> => {
    throw new RequestTargetError(`Cannot create ${name}: this worker is not the leader`, leaderUrl);
  };
  const create = leader.herder.createConnector.bind(leader.herder);
  leader.herder.createConnector = async (name, config, initial) => {
    seenByLeader.push(name);
    return create(name, config, initial);
  };
});
after(async () => {
  await leader.close();
  await follower.close();
});

test('a write sent to a follower is forwarded to the leader and answered with the leader\'s status and body', async () => {
  const r = await follower.request('POST', '/connectors', { name: 'fwd', config: sourceConfig() });
  assert.equal(r.status, 201, r.text);
  assert.equal((r.body as ConnectorInfo).name, 'fwd');
  assert.deepEqual(seenByLeader, ['fwd']);
  assert.ok(await leader.herder.connectorInfo('fwd'), 'created on the leader');
  // The leader's error comes back as is (409 already exists), not as a forwarding failure.
  const again = await follower.request('POST', '/connectors', { name: 'fwd', config: sourceConfig() });
  assert.equal(again.status, 409);
  assert.match((again.body as { message: string }).message, /already exists/);
});

test('a request already forwarded twice (forward=false) is answered 409, never forwarded again', async () => {
  const r = await follower.request('POST', '/connectors?forward=false', { name: 'hops', config: sourceConfig() });
  assert.equal(r.status, 409);
  assert.match((r.body as { message: string }).message, /conflicting operation/);
  assert.ok(!seenByLeader.includes('hops'));
});

test('no known leader (mid-rebalance) answers 409 with Connect\'s message; a dead leader too', async () => {
  leaderUrl = undefined;
  const r = await follower.request('POST', '/connectors', { name: 'nobody', config: sourceConfig() });
  assert.equal(r.status, 409);
  assert.match((r.body as { message: string }).message, /no known leader URL/);
  leaderUrl = 'http://127.0.0.1:1'; // nothing listens there
  const dead = await follower.request('POST', '/connectors', { name: 'nobody', config: sourceConfig() });
  assert.equal(dead.status, 409);
  assert.match((dead.body as { message: string }).message, /forwarding to http:\/\/127\.0\.0\.1:1 failed/);
  leaderUrl = leader.server.url;
});
