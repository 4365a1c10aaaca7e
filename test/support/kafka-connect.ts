/**
 * A real Apache Kafka Connect worker on the test run's broker (kafkaBootstrap()). `scripts/run-tests.mjs` fetches
 * the Connect jars before any test runs when a selected test imports this module, so no test pays for the download.
 * Every worker is a JVM of its own: stop() it (or kill() it) in the test; it also dies with the test process.
 */
import { startKafkaConnect } from '../../src/devtools/kafka-connect.js';
import type { KafkaConnectWorker, StartKafkaConnectOptions } from '../../src/devtools/kafka-connect.js';
import { kafkaBootstrap } from './kafka.js';

export type { KafkaConnectWorker } from '../../src/devtools/kafka-connect.js';

/** startKafkaConnect() options; `bootstrap` defaults to the test broker's. */
export type TestConnectOptions = Omit<StartKafkaConnectOptions, 'bootstrap'> & { bootstrap?: string };

/** Starts a Connect worker (standalone or distributed) against the test broker; resolves once its REST API is ready. */
export async function startTestConnect(options: TestConnectOptions): Promise<KafkaConnectWorker> {
  return startKafkaConnect({ ...options, bootstrap: options.bootstrap ?? (await kafkaBootstrap()) });
}

