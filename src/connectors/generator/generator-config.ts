/**
 * The generator's config keys, declared once: they drive validation, GET /connector-plugins/{p}/config and the docs.
 * `parseGeneratorConfig` turns a (validated) config into typed settings for the connector and its tasks.
 */
import type { ConfigDef } from '../../plugins/config-def.js';
import { assertValidConfig, invalidValue, javaTrim } from '../../plugins/config-validation.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { SHAPE_NAMES } from './shapes.js';
import type { ShapeName } from './shapes.js';

/** Set by the connector in each task config: the task's index in [0, tasks.max). Not a user setting. */
export const GENERATOR_TASK_ID_CONFIG = 'generator.task.id';

const atLeast = (min: number) => (name: string) => (v: string) => (Number(v) < min ? invalidValue(name, v, `Value must be at least ${min}`) : undefined);

export const GENERATOR_CONFIG: ConfigDef = [
  {
    name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'The topic to write generated records to.',
    validate: (v) => (v === '' ? invalidValue('topic', v, 'String must be non-empty') : undefined),
  },
  {
    name: 'rate', type: 'DOUBLE', default: '0', importance: 'MEDIUM',
    documentation: 'Records per second, per task (a token bucket; fractions allowed). 0 means as fast as possible.',
    validate: (v) => (!Number.isFinite(Number(v)) || Number(v) < 0 ? invalidValue('rate', v, 'Value must be a finite number at least 0') : undefined),
  },
  {
    name: 'count', type: 'LONG', default: null, importance: 'MEDIUM',
    documentation: 'The most records each task produces, counting those before a restart; after that the task stays idle. Unlimited when absent.',
    validate: atLeast(0)('count'),
  },
  {
    name: 'value.size', type: 'INT', default: '200', importance: 'MEDIUM',
    documentation: 'Approximate size in bytes of each value as schemaless JSON (the payload). A string field is padded to reach it; a value is never smaller than its shape without padding.',
    validate: (v) => (Number(v) < 0 || Number(v) > 16 * 1024 * 1024 ? invalidValue('value.size', v, 'Value must be between 0 and 16777216') : undefined),
  },
  {
    name: 'key.cardinality', type: 'INT', default: '1000', importance: 'MEDIUM',
    documentation: 'How many distinct keys each task uses (`<prefix>-<n>`, STRING schema, chosen pseudo-randomly). 0 means null keys.',
    validate: atLeast(0)('key.cardinality'),
  },
  {
    name: 'shape', type: 'STRING', default: 'orders', importance: 'MEDIUM', recommendedValues: [...SHAPE_NAMES],
    documentation: 'The value schema: orders, users, flat (one field of each primitive type) or nested (structs, arrays and a map). Each is a struct with a Connect schema.',
    validate: (v) => (SHAPE_NAMES.includes(v as ShapeName) ? undefined : invalidValue('shape', v, `Must be one of ${SHAPE_NAMES.join(', ')}`)),
  },
  {
    name: 'seed', type: 'LONG', default: '0', importance: 'LOW',
    documentation: 'Seed of the pseudo-random values: the same seed, task and sequence number always give the same key and value.',
  },
  {
    name: 'batch.size', type: 'INT', default: '1000', importance: 'LOW', documentation: 'The most records returned by one poll.',
    validate: atLeast(1)('batch.size'),
  },
  {
    name: 'malformed.every', type: 'LONG', default: null, importance: 'LOW',
    documentation:
      'When set to N, every Nth record (sequence numbers N-1, 2N-1, …) gets a STRING value that is not valid JSON instead of a struct. ' +
      'Written by a StringConverter and read by a JsonConverter, it fails conversion: a way to test errors.tolerance and dead letter queues.',
    validate: atLeast(1)('malformed.every'),
  },
];

export interface GeneratorSettings {
  topic: string;
  /** Records/s per task; 0 = unlimited. */
  rate: number;
  /** Null = unlimited. */
  count: number | null;
  valueSize: number;
  keyCardinality: number;
  shape: ShapeName;
  seed: bigint;
  batchSize: number;
  /** Null = never. */
  malformedEvery: number | null;
  /** From GENERATOR_TASK_ID_CONFIG; 0 when absent. */
  taskId: number;
}

/** Typed settings. Throws a PluginError (PIPECTL_PLUGIN_INVALID_CONFIG) with the first problem (Connect's message form) when the config is invalid. */
export function parseGeneratorConfig(config: Readonly<Record<string, string>>): GeneratorSettings {
  assertValidConfig(GENERATOR_CONFIG, config);
  const get = (key: string): string | undefined => {
    const raw = config[key];
    if (raw !== undefined) return javaTrim(raw);
    const d = GENERATOR_CONFIG.find((k) => k.name === key)?.default;
    return d === null || d === undefined ? undefined : d;
  };
  const optional = (key: string): number | null => (get(key) === undefined ? null : Number(get(key)));
  const taskId = Number(get(GENERATOR_TASK_ID_CONFIG) ?? '0');
  if (!Number.isSafeInteger(taskId) || taskId < 0) throw new PluginError('PIPECTL_PLUGIN_INVALID_CONFIG', invalidValue(GENERATOR_TASK_ID_CONFIG, config[GENERATOR_TASK_ID_CONFIG], 'Must be a non-negative integer'));
  return {
    topic: get('topic')!,
    rate: Number(get('rate')),
    count: optional('count'),
    valueSize: Number(get('value.size')),
    keyCardinality: Number(get('key.cardinality')),
    shape: get('shape') as ShapeName,
    seed: BigInt(get('seed')!.replace(/^\+/, '')),
    batchSize: Number(get('batch.size')),
    malformedEvery: optional('malformed.every'),
    taskId,
  };
}
