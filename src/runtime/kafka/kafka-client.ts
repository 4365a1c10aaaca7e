/**
 * The Kafka client ports (kafka-port.ts) over kafkajs 2.2.4, pinned exactly. src/runtime/kafka/kafkajs/ is the only
 * place of src/runtime that uses kafkajs, and kafkajs/load.ts the only module that loads it: producer.ts,
 * group-consumer.ts, admin.ts (the data plane's clients) and raw-cluster.ts (distributed mode's group membership and
 * internal-topic reads). This module hands out the factories. kafkajs logs go to our logger at debug level.
 */
import type { Logger } from '../logger.js';
import { KafkajsAdmin as AdminPortImpl } from './kafkajs/admin.js';
import { classifyKafkaError, kafkaConfig } from './kafkajs/common.js';
import { KafkajsGroupConsumer as GroupConsumerImpl } from './kafkajs/group-consumer.js';
import { Kafka } from './kafkajs/load.js';
import { KafkajsProducer as ProducerImpl } from './kafkajs/producer.js';
import type { KafkaClientFactory } from './port/kafka-port.js';

export { classifyKafkaError } from './kafkajs/common.js';
export { classifyRawClusterError, kafkajsRawClusterFactory } from './kafkajs/raw-cluster.js';

export function kafkajsClientFactory(logger: Logger): KafkaClientFactory {
  return {
    admin: (client) => new AdminPortImpl(new Kafka(kafkaConfig(client, logger))),
    producer: (client, settings) => new ProducerImpl(new Kafka(kafkaConfig(client, logger)), settings),
    consumer: (client, settings) => new GroupConsumerImpl(new Kafka(kafkaConfig(client, logger)), settings, client.retry),
    classify: classifyKafkaError,
  };
}
