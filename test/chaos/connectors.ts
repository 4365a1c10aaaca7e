/**
 * The connectors REST writes act on: churn connectors (created, updated, deleted at random) and data connectors
 * (Generators that are never deleted; invariant 4 reads their topics). All are Generators writing flat JSON values
 * (`{id: <seq>, task: <task id>, …}`) at a low rate, so the topics stay small over a long run.
 */
import type { ConnectorKinds } from './writes.js';

export interface ConnectorSet extends ConnectorKinds {
  churn: string[];
  data: string[];
  /** Topic of a connector (one partition each for data connectors; one shared topic for churn connectors). */
  topicOf(name: string): string;
  topics(): string[];
}

export function connectorSet(groupId: string, churn = 5, data = 2): ConnectorSet {
  const churnNames = Array.from({ length: churn }, (_, i) => `churn-${i}`);
  const dataNames = Array.from({ length: data }, (_, i) => `seq-${i}`);
  const topicOf = (name: string): string => (name.startsWith('seq-') ? `${groupId}-${name}` : `${groupId}-churn`);
  return {
    churn: churnNames,
    data: dataNames,
    topicOf,
    topics: () => [...dataNames.map(topicOf), topicOf('churn-0')],
    isData: (name) => dataNames.includes(name),
    config: (name, n, tasksMax) => ({
      'connector.class': 'Generator',
      'tasks.max': String(tasksMax),
      topic: topicOf(name),
      // Data connectors: 10–29 records/s per task; churn connectors: 1–50, a rate that changes with most writes.
      rate: String(name.startsWith('seq-') ? 10 + (n % 20) : 1 + (n % 50)),
      shape: 'flat',
      'key.cardinality': '0',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    }),
  };
}
