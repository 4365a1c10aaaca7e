/**
 * Distributed mode end to end on the plain test broker: the scenario of cluster-scenario.ts (shared connectors and
 * tasks, forwarding, kill -9 failover within the target, spreading to new workers, a rolling restart).
 * cluster-secure.test.ts runs the same over SASL_SSL.
 */
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { runClusterScenario } from './cluster-scenario.js';

test('a cluster of workers shares connectors and tasks, survives kill -9, spreads to a new worker, and survives a rolling restart', { timeout: 300_000 }, async (t) => {
  await runClusterScenario(t, { bootstrap: await kafkaBootstrap(), id: uniqueGroup('cluster') });
});
