/**
 * One HTTP mapping for the data plane's errors (src/runtime/rest/http-error.ts): whichever data plane raised a
 * DataPlaneError — the embedded log or the Kafka data plane, here in-process over an in-memory twin of the Kafka client
 * port — a REST answer carrying it has the same status. Every code is provoked for real from each data plane that can
 * raise it, then answered by an in-process REST server; the topic routes are then compared over both data planes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataPlaneError } from '../../../src/runtime/data-plane/data-plane-error.js';
import type { DataPlaneErrorCode } from '../../../src/runtime/data-plane/data-plane-error.js';
import type { Consumer, DataPlane, TopicDescription } from '../../../src/runtime/data-plane/data-plane.js';
import { openKafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import type { EmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { startRestServer } from '../../../src/runtime/rest/rest-server.js';
import type { TopicRegistry } from '../../../src/runtime/rest/topic-routes.js';
import { MemoryHerder } from '../../support/memory-herder.js';
import { MemoryKafka } from '../kafka/memory-kafka.js';
import { rec, withTempDir } from '../log/helpers.js';

type PlaneName = 'embedded log' | 'Kafka data plane';

/** A fresh data plane with topic `t` (2 partitions); `consumer()` opens a member of group `g` on `t`. */
interface Setup {
  plane: DataPlane;
  consumer(clientId?: string): Promise<Consumer>;
}

interface Provokers {
  status: number;
  /** Provokes the code from the embedded log; absent when it cannot raise it (`why`). */
  embedded?: (log: EmbeddedLog, s: Setup) => Promise<unknown>;
  /** Provokes the code from the Kafka data plane over MemoryKafka; absent when it cannot raise it (`why`). */
  kafka?: (cluster: MemoryKafka, s: Setup) => Promise<unknown>;
  why?: string;
}

const both = (provoke: (s: Setup) => Promise<unknown>): Pick<Provokers, 'embedded' | 'kafka'> => ({ embedded: (_, s) => provoke(s), kafka: (_, s) => provoke(s) });

/** Every code of the port (the Record type makes a new code a compile error here until it is added). */
const CODES: Record<DataPlaneErrorCode, Provokers> = {
  PIPECTL_LOG_INVALID_TOPIC: { status: 400, ...both(({ plane }) => plane.createTopic('bad name!', { partitions: 1 })) },
  PIPECTL_LOG_INVALID_ARGUMENT: { status: 400, ...both(({ plane }) => plane.createTopic('t2', { partitions: 1, config: { 'retention.ms': 'soon' } })) },
  PIPECTL_LOG_UNKNOWN_TOPIC: { status: 404, ...both(({ plane }) => plane.alterTopic('missing', { partitions: 2 })) },
  PIPECTL_LOG_UNKNOWN_PARTITION: { status: 404, ...both(({ plane }) => plane.alterCommittedOffsets('g', [{ topic: 't', partition: 7, offset: 1 }])) },
  PIPECTL_LOG_CLOSED: {
    status: 500,
    ...both(async ({ plane }) => {
      await plane.close();
      return plane.produce([rec('t', null, 'x')]);
    }),
  },
  PIPECTL_LOG_GROUP_NOT_EMPTY: {
    status: 500,
    ...both(async ({ plane, consumer }) => {
      await consumer();
      return plane.alterCommittedOffsets('g', [{ topic: 't', partition: 0, offset: 0 }]);
    }),
  },
  PIPECTL_LOG_NOT_OWNER: {
    status: 500,
    ...both(async ({ consumer }) => (await consumer()).seek({ topic: 'other', partition: 0 }, 0)),
  },
  PIPECTL_LOG_POLL_IN_PROGRESS: {
    status: 500,
    ...both(async ({ consumer }) => {
      const c = await consumer();
      const first = c.poll(1, 200);
      try {
        return await c.poll(1, 0);
      } finally {
        await first;
      }
    }),
  },
  PIPECTL_LOG_CANCELLED: {
    status: 500,
    kafka: async (cluster, { plane }) => {
      cluster.unreachable = true;
      return plane.produce([rec('t', null, 'x')], { signal: AbortSignal.abort() });
    },
    why: 'the embedded log does not retry a produce, so there is nothing to cancel',
  },
  PIPECTL_LOG_DELIVERY_TIMEOUT: {
    status: 500,
    kafka: async (cluster, { plane }) => {
      cluster.unreachable = true;
      return plane.produce([rec('t', null, 'x')], { clientOverrides: { 'delivery.timeout.ms': '50' } });
    },
    why: 'the embedded log acknowledges or refuses a produce at once',
  },
  PIPECTL_LOG_INVALID_RECORD: {
    status: 500,
    embedded: (log) => log.produce([rec('t', null, 'x', { timestamp: Number.NaN })]),
    why: 'the Kafka data plane hands records to the client as they are',
  },
  PIPECTL_LOG_OFFSET_OUT_OF_RANGE: {
    status: 500,
    embedded: (log) => log.read({ topic: 't', partition: 0 }, 5, 1),
    why: "Kafka's consumer moves an out-of-range position by auto.offset.reset instead",
  },
  PIPECTL_LOG_DUPLICATE_MEMBER: {
    status: 500,
    embedded: async (_, { consumer }) => {
      await consumer('same');
      return consumer('same');
    },
    why: 'the broker gives every member of a group its own id',
  },
};

/** Runs `fn` on a fresh data plane of each kind (topic `t` with 2 partitions), closing consumers and plane after. */
async function withPlane<T>(name: PlaneName, fn: (s: Setup, log: EmbeddedLog | undefined, cluster: MemoryKafka | undefined) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const cluster = name === 'Kafka data plane' ? new MemoryKafka() : undefined;
    const log = cluster ? undefined : await openEmbeddedLog({ dir });
    const plane: DataPlane = cluster ? await openKafkaDataPlane({ workerConfig: { 'bootstrap.servers': 'memory:9092' }, logger: silentLogger, factory: cluster }) : log!;
    const consumers: Consumer[] = [];
    const setup: Setup = {
      plane,
      consumer: async (clientId = 'c') => {
        const c = await plane.openConsumer({ groupId: 'g', clientId, subscription: { topics: ['t'] } });
        consumers.push(c);
        return c;
      },
    };
    try {
      await plane.createTopic('t', { partitions: 2 });
      return await fn(setup, log, cluster);
    } finally {
      for (const c of consumers) await c.close();
      await plane.close();
    }
  });
}

/** A REST server whose topic registry fails every create with the error it is given; answers POST /pipectl/v1/topics. */
async function answerFor(error: unknown): Promise<{ status: number; body: { error_code: number; message: string } }> {
  const failing: TopicRegistry = {
    listTopics: async () => [],
    describeTopic: async () => undefined,
    createTopic: async () => Promise.reject(error),
    alterTopic: async () => Promise.reject(error),
  };
  const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', topics: failing });
  try {
    const res = await fetch(`${server.url}/pipectl/v1/topics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    return { status: res.status, body: (await res.json()) as { error_code: number; message: string } };
  } finally {
    await server.close();
  }
}

test('every data-plane error code gets the same REST status whether the embedded log or the Kafka data plane raised it', async () => {
  for (const [code, p] of Object.entries(CODES) as [DataPlaneErrorCode, Provokers][]) {
    assert.ok(p.embedded || p.kafka, `${code}: provoked by neither data plane`);
    assert.ok((p.embedded && p.kafka) || p.why, `${code}: say why only one data plane raises it`);
    const statuses = new Map<PlaneName, number>();
    for (const name of ['embedded log', 'Kafka data plane'] as const) {
      const raised = await withPlane(name, async (setup, log, cluster) => {
        const provoke = log ? p.embedded && (() => p.embedded!(log, setup)) : p.kafka && (() => p.kafka!(cluster!, setup));
        if (!provoke) return undefined;
        try {
          await provoke();
        } catch (e) {
          return e;
        }
        assert.fail(`${code}: the ${name} did not reject`);
      });
      if (raised === undefined) continue;
      assert.ok(raised instanceof DataPlaneError, `${code} from the ${name}: ${String(raised)} is not a DataPlaneError`);
      assert.equal(raised.code, code, `${code} from the ${name}: ${raised.message}`);
      const answer = await answerFor(raised);
      assert.deepEqual(answer.body.error_code, answer.status);
      statuses.set(name, answer.status);
    }
    assert.deepEqual(new Set(statuses.values()), new Set([p.status]), `${code}: ${JSON.stringify([...statuses])}`);
  }
});

test('the topic routes answer the same over the embedded log and the Kafka data plane: 400 for refused settings, 404 for an unknown topic', async () => {
  const requests: [string, string, unknown][] = [
    ['POST', '', { name: 'bad name!' }],
    ['POST', '', { name: 'x', config: { 'retention.ms': 'soon' } }],
    ['POST', '', { name: 'x', config: { 'cleanup.policy': 'sideways' } }],
    ['PATCH', '/missing', { partitions: 3 }],
    ['PATCH', '/t', { partitions: 1 }],
    ['PATCH', '/t', { config: { 'retention.ms': 'soon' } }],
    ['PATCH', '/t', { partitions: 3 }],
  ];
  const answers = new Map<PlaneName, { status: number; body: unknown }[]>();
  for (const name of ['embedded log', 'Kafka data plane'] as const) {
    answers.set(
      name,
      await withPlane(name, async ({ plane }) => {
        const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', topics: plane });
        try {
          const out: { status: number; body: unknown }[] = [];
          for (const [method, path, body] of requests) {
            const res = await fetch(`${server.url}/pipectl/v1/topics${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
            out.push({ status: res.status, body: await res.json() });
          }
          return out;
        } finally {
          await server.close();
        }
      }),
    );
  }
  const [embedded, kafka] = [answers.get('embedded log')!, answers.get('Kafka data plane')!];
  assert.deepEqual(embedded.map((a) => a.status), [400, 400, 400, 404, 400, 400, 200]);
  assert.deepEqual(kafka.map((a) => a.status), embedded.map((a) => a.status));
  assert.deepEqual(kafka[3], embedded[3], 'the 404 is worded by the route, the same for both');
  assert.deepEqual(embedded[3]!.body, { error_code: 404, message: 'Topic missing not found' });
  const grown = (a: { body: unknown }): number => (a.body as TopicDescription).partitions;
  assert.deepEqual([grown(embedded[6]!), grown(kafka[6]!)], [3, 3], 'refused changes changed nothing; the last grew the topic');
});
