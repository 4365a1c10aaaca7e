/**
 * The distributed cluster scenario (cluster-scenario.ts) over SASL_SSL with SCRAM-SHA-512, on the secure development
 * broker: the group membership, the internal topics' clients and the tasks' producers all authenticate with the
 * settings `pipectl dev kafka --secure` wrote, and nothing else reaches the broker (its plain listener is not used).
 */
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { secureKafka } from '../../support/secure-kafka.js';
import { runClusterScenario } from './cluster-scenario.js';

test('over SASL_SSL: a cluster of workers shares connectors and tasks, survives kill -9, spreads to a new worker, and survives a rolling restart', { timeout: 420_000 }, async (t) => {
  const kafka = await secureKafka();
  await runClusterScenario(t, { bootstrap: kafka.saslSslBootstrap, id: `cluster-secure-${process.pid}-${randomBytes(3).toString('hex')}`, config: kafka.saslSslSettings });
});
