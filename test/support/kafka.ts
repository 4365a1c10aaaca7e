/**
 * The real Kafka broker of a test run. `scripts/run-tests.mjs` starts one broker for the whole run and passes its
 * address in PIPECTL_TEST_KAFKA_BOOTSTRAP; a test file run by hand (no variable) starts its own broker once per
 * process, stopped when the process exits. Each test uses its own topic and group names.
 */
import { randomBytes } from 'node:crypto';
import { startKafkaBroker } from '../../src/devtools/kafka-broker.js';

export const KAFKA_BOOTSTRAP_ENV = 'PIPECTL_TEST_KAFKA_BOOTSTRAP';

let ownBroker: Promise<string> | null = null;

/** `127.0.0.1:<port>` of a running broker: the harness's, or one started for this process. */
export function kafkaBootstrap(): Promise<string> {
  const fromHarness = process.env[KAFKA_BOOTSTRAP_ENV];
  if (fromHarness) return Promise.resolve(fromHarness);
  ownBroker ??= startKafkaBroker({ port: 0 }).then((broker) => {
    // Let the test process end on its own; the exit hook and the watchdog then stop the JVM and remove its folder.
    broker.unref();
    return broker.bootstrap;
  });
  return ownBroker;
}

let counter = 0;

function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`;
}

/** A topic name no other test (in this run or an earlier one against the same broker) uses. */
export function uniqueTopic(prefix = 'test'): string {
  return uniqueName(prefix);
}

/** A consumer group id no other test uses. */
export function uniqueGroup(prefix = 'group'): string {
  return uniqueName(prefix);
}
