/**
 * plan/apply/import against the real Apache Kafka Connect 4.1.1 (issue 8, part 2): the quickstart repository
 * (examples/quickstart, made absolute and given a unique topic as in test/runtime/distributed/apply-cluster.test.ts)
 * is applied to a real worker and data flows through the real FileStream connectors; right after, and after every
 * later step, `plan --detailed-exitcode` exits 0 — whatever real Connect injects or rewrites in a config (`name`,
 * string values, class aliases) normalises away. Then the lifecycle as files express it: an edit, a pause, a stop
 * (with offsets altered through Connect's REST, since pipeline files do not declare offsets), a resume that re-reads
 * from the altered offset, a pruned delete, and the import + adoption of a connector made by hand.
 *
 * The steps live in real-connect-scenario.ts; this file runs them on one distributed worker and one standalone one.
 */
import { test } from 'node:test';
import { runRealConnectScenario } from './real-connect-scenario.js';

test('plan/apply/import against a real Apache Kafka Connect distributed worker converge with no perpetual diff', { timeout: 180_000 }, async (t) => {
  await runRealConnectScenario(t, 'distributed');
});

test('plan/apply/import against a real Apache Kafka Connect standalone worker converge with no perpetual diff', { timeout: 180_000 }, async (t) => {
  await runRealConnectScenario(t, 'standalone');
});
