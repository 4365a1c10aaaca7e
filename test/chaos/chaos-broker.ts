/**
 * The chaos run's own Kafka broker, which a fault stops (a real JVM stop) and starts again on the same ports and
 * data folder, as test/runtime/kafka/kafka-crash.test.ts does. Not the test run's shared broker.
 */
import { join } from 'node:path';
import { startKafkaBroker } from '../../src/devtools/kafka-broker.js';
import type { KafkaBroker } from '../../src/devtools/kafka-broker.js';

export class ChaosBroker {
  private broker: KafkaBroker | null = null;
  private ports: { port: number; controllerPort: number } | null = null;

  constructor(private readonly dir: string) {}

  get bootstrap(): string {
    if (!this.ports) throw new Error('the broker has not started');
    return `127.0.0.1:${this.ports.port}`;
  }

  get running(): boolean {
    return this.broker !== null;
  }

  /** Starts it (the first time on free ports, later on the same ones); returns the start time in ms. */
  async start(): Promise<number> {
    const t0 = Date.now();
    this.broker = await startKafkaBroker({ port: this.ports?.port ?? 0, controllerPort: this.ports?.controllerPort ?? 0, dataDir: join(this.dir, 'kafka'), startTimeoutMs: 120_000 });
    this.ports = { port: this.broker.port, controllerPort: this.broker.controllerPort };
    return Date.now() - t0;
  }

  /** Stops the JVM (SIGTERM, then SIGKILL after 20 s) and waits for its exit. */
  async stop(): Promise<void> {
    const b = this.broker;
    this.broker = null;
    await b?.stop();
  }
}
