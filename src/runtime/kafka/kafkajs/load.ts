/**
 * The one place kafkajs is loaded at run time (every other module of src/runtime/kafka/kafkajs/ imports its types only).
 */
import { createRequire, Module } from 'node:module';

/**
 * kafkajs 2.2.4 groups a produce call's messages by partition with `[...current, message]` for every message: O(n²)
 * in the batch size. With Connect-sized batches (2,000 records) that was 15% of a source task's CPU plus much of its
 * garbage collection (CPU profile of bench:kafka's source side). kafkajs is pinned exactly and has had no release
 * since 2023, so its producer is loaded here with a linear version of that one module in its place (same contract:
 * partition → messages in their original order). Loaded before anything else of kafkajs, hence require().
 */
function loadKafkajs(): typeof import('kafkajs') {
  const require = createRequire(import.meta.url);
  const path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
  const linear = new Module(path);
  linear.filename = path;
  linear.loaded = true;
  linear.exports = ({ topic, partitionMetadata, messages, partitioner }: { topic: string; partitionMetadata: unknown[]; messages: unknown[]; partitioner: (a: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number }) => {
    const out: Record<number, unknown[]> = {};
    if (partitionMetadata.length === 0) return out;
    for (const message of messages) (out[partitioner({ topic, partitionMetadata, message })] ??= []).push(message);
    return out;
  };
  require.cache[path] = linear;
  return require('kafkajs') as typeof import('kafkajs');
}


export const { Kafka, logLevel, CompressionTypes, ConfigResourceTypes, PartitionAssigners, AssignerProtocol } = loadKafkajs();
