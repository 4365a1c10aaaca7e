/** ProducerPort over a kafkajs producer: one sendBatch per produce call, per-record offsets from the response. */
import type { Message, Producer } from 'kafkajs';
import type { ProducerRecord, RecordMetadata } from '../../data-plane/data-plane.js';
import type { PartitionChooser, ProducerPort, ProducerSettings } from '../port/kafka-port.js';
import { CompressionTypes } from './load.js';
import type { Kafka } from './load.js';
import { toKafkaHeaders } from './common.js';

export interface PendingMessage {
  record: ProducerRecord;
  index: number;
  choose: PartitionChooser;
  chosen: number[];
}

export class KafkajsProducer implements ProducerPort {
  /** The partitioner kafkajs calls finds the record (and its send's chooser) through the message object. */
  private readonly pending = new WeakMap<Message, PendingMessage>();
  private readonly producer: Producer;

  constructor(
    kafka: InstanceType<typeof Kafka>,
    private readonly settings: ProducerSettings,
  ) {
    this.producer = kafka.producer({
      idempotent: settings.idempotent,
      maxInFlightRequests: settings.maxInFlightRequests,
      allowAutoTopicCreation: true,
      createPartitioner: () => ({ partitionMetadata, message }) => {
        const p = this.pending.get(message)!;
        const partition = p.choose(p.record, p.index, partitionMetadata.length);
        p.chosen[p.index] = partition;
        return partition;
      },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(records: readonly ProducerRecord[], choose: PartitionChooser): Promise<RecordMetadata[]> {
    const chosen = new Array<number>(records.length);
    const byTopic = new Map<string, Message[]>();
    records.forEach((record, index) => {
      const headers = toKafkaHeaders(record.headers);
      const message: Message = { key: record.key, value: record.value, ...(headers ? { headers } : {}), ...(record.timestamp !== undefined ? { timestamp: String(record.timestamp) } : {}) };
      this.pending.set(message, { record, index, choose, chosen });
      let list = byTopic.get(record.topic);
      if (!list) byTopic.set(record.topic, (list = []));
      list.push(message);
    });
    const response = await this.producer.sendBatch({
      acks: this.settings.acks,
      timeout: this.settings.ackTimeoutMs,
      compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    // One answer per partition: its base offset; records of a partition were sent in input order.
    const next = new Map<string, number>();
    for (const r of response) next.set(`${r.topicName}\u0000${r.partition}`, Number(r.baseOffset ?? -1));
    return records.map((record, i) => {
      const key = `${record.topic}\u0000${chosen[i]}`;
      const offset = next.get(key) ?? -1;
      if (offset >= 0) next.set(key, offset + 1);
      return { topic: record.topic, partition: chosen[i]!, offset };
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

