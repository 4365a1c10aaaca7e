import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GeneratorSource, GeneratorSourceConnector, GeneratorSourceTask, SHAPE_NAMES } from '../../src/connectors/generator/index.js';
import { ConversionError } from '../../src/plugins/converter.js';
import { JsonConverter } from '../../src/converters/json-converter.js';
import { StringConverter } from '../../src/converters/string-converter.js';
import type { ConfigInfos } from '../../src/herder/types.js';
import type { Schema, SourceRecord } from '../../src/plugins/connect-data.js';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';

const CLASS = 'io.pipectl.connect.generator.GeneratorSourceConnector';
const errorsOf = (infos: ConfigInfos): Record<string, string[]> =>
  Object.fromEntries(infos.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));

async function records(config: Record<string, string>, n: number): Promise<SourceRecord[]> {
  const task = new GeneratorSourceTask();
  task.start({ topic: 't', 'batch.size': String(n), ...config }, { offsetStorageReader: { offset: () => null } });
  return (await task.poll())!;
}

/** Problems of `value` against a Connect schema (JSON form), as paths; [] when it conforms. */
function nonConforming(schema: Schema, value: unknown, path = '$'): string[] {
  if (value === null || value === undefined) return schema.optional ? [] : [`${path}: null for a required ${schema.type}`];
  const ranges: Partial<Record<Schema['type'], number>> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 };
  switch (schema.type) {
    case 'int8': case 'int16': case 'int32':
      return Number.isInteger(value) && Math.abs(value as number) <= ranges[schema.type]! ? [] : [`${path}: ${String(value)} is not ${schema.type}`];
    case 'int64': return Number.isSafeInteger(value) ? [] : [`${path}: not int64`];
    case 'float32': case 'float64': return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: not a number`];
    case 'boolean': return typeof value === 'boolean' ? [] : [`${path}: not boolean`];
    case 'string': return typeof value === 'string' ? [] : [`${path}: not string`];
    case 'array': return Array.isArray(value) ? value.flatMap((v, i) => nonConforming(schema.items!, v, `${path}[${i}]`)) : [`${path}: not array`];
    case 'map': return Object.entries(value as object).flatMap(([k, v]) => [...nonConforming(schema.keys!, k, `${path}.key`), ...nonConforming(schema.values!, v, `${path}.${k}`)]);
    case 'struct': {
      const fields = schema.fields!.map((f) => f.field);
      const extra = Object.keys(value as object).filter((k) => !fields.includes(k));
      return [...extra.map((k) => `${path}.${k}: not in schema`), ...schema.fields!.flatMap((f) => nonConforming(f, (value as Record<string, unknown>)[f.field], `${path}.${f.field}`))];
    }
    default: return [`${path}: unexpected type ${schema.type}`];
  }
}

test('the registry knows the generator by class name and its aliases', () => {
  const registry = createDefaultRegistry();
  for (const name of [CLASS, 'GeneratorSourceConnector', 'GeneratorSource', 'Generator']) assert.equal(registry.findConnector(name), GeneratorSource, name);
  assert.equal(GeneratorSource.kind, 'source');
  const keys = registry.pluginConfig('Generator').map((k) => k.name);
  assert.deepEqual(keys.slice(0, 9), ['topic', 'rate', 'count', 'value.size', 'key.cardinality', 'shape', 'seed', 'batch.size', 'malformed.every']);
  const shape = registry.pluginConfig('Generator').find((k) => k.name === 'shape')!;
  assert.deepEqual([shape.type, shape.default_value, shape.required], ['STRING', 'orders', false]);
  for (const k of registry.pluginConfig('Generator').slice(0, 9)) assert.ok(k.documentation.length > 20, `${k.name} is documented`);
});

test('validation reports bad values per key', () => {
  const registry = createDefaultRegistry();
  const ok = registry.validateConnectorConfig({ name: 'g', 'connector.class': 'Generator', topic: 't', rate: '12.5', count: '100', shape: 'nested', seed: '-3' });
  assert.equal(ok.error_count, 0, JSON.stringify(errorsOf(ok)));
  const bad = registry.validateConnectorConfig({
    name: 'g', 'connector.class': 'Generator', rate: '-1', count: '-5', shape: 'xml', 'batch.size': '0', 'key.cardinality': 'many', 'malformed.every': '0', 'value.size': '999999999',
  });
  assert.deepEqual(Object.keys(errorsOf(bad)).sort(), ['batch.size', 'count', 'key.cardinality', 'malformed.every', 'rate', 'shape', 'topic', 'value.size']);
  assert.match(errorsOf(bad)['shape']![0]!, /^Invalid value xml for configuration shape: Must be one of orders, users, flat, nested$/);
  assert.throws(() => new GeneratorSourceConnector().start({ topic: '' }), /topic: String must be non-empty/);
});

test('the connector creates tasks.max task configs, each with its own task id and partition', async () => {
  const connector = new GeneratorSourceConnector();
  connector.start({ name: 'gen', 'connector.class': 'Generator', topic: 't', 'tasks.max': '3' });
  const configs = connector.taskConfigs(3);
  assert.deepEqual(configs.map((c) => c['generator.task.id']), ['0', '1', '2']);
  assert.ok(configs.every((c) => c['topic'] === 't' && c['name'] === 'gen'));
  const partitions = await Promise.all(
    configs.map(async (c) => {
      const task = GeneratorSource.createTask() as GeneratorSourceTask;
      task.start(c, { offsetStorageReader: { offset: () => null } });
      return (await task.poll())![0]!.sourcePartition;
    }),
  );
  assert.deepEqual(partitions, [0, 1, 2].map((task) => ({ generator: 'gen', task })));
});

test('alterOffsets accepts resets and {seq} for generator partitions only', () => {
  const c = new GeneratorSourceConnector();
  const p = { generator: 'gen', task: 0 };
  assert.equal(c.alterOffsets({}, new Map([[p, { seq: 10 }], [{ generator: 'gen', task: 1 }, null]])), true);
  assert.throws(() => c.alterOffsets({}, new Map([[p, { position: 1 }]])), /key 'seq'/);
  assert.throws(() => c.alterOffsets({}, new Map([[{ filename: 'x' }, { seq: 1 }]])), /'generator' and 'task'/);
});

test('every shape is a struct whose values conform to its schema, with several field types', async () => {
  for (const shape of SHAPE_NAMES) {
    const batch = await records({ shape, seed: '11' }, 300);
    const schema = batch[0]!.valueSchema!;
    assert.equal(schema.type, 'struct');
    assert.match(schema.name!, /^io\.pipectl\.generator\./);
    const types = new Set(schema.fields!.map((f) => f.type));
    assert.ok(types.size >= 4, `${shape}: ${[...types].join(', ')}`);
    for (const r of batch) assert.deepEqual(nonConforming(schema, r.value), [], shape);
  }
});

test('JsonConverter with schemas.enable writes the envelope and reads the same value back', async () => {
  const json = new JsonConverter();
  json.configure({ 'schemas.enable': 'true' });
  for (const shape of SHAPE_NAMES) {
    for (const r of await records({ shape }, 20)) {
      const bytes = json.fromConnectData('t', r.valueSchema, r.value)!;
      const envelope = JSON.parse(bytes.toString('utf8')) as { schema: Schema; payload: unknown };
      // The envelope spells types the converter's way (Connect writes float64 as "double"); names and values match.
      assert.deepEqual([envelope.schema.type, envelope.schema.name, envelope.schema.fields?.map((f) => f.field)], ['struct', r.valueSchema!.name, r.valueSchema!.fields!.map((f) => f.field)]);
      assert.deepEqual(json.toConnectData('t', bytes).value, r.value);
    }
  }
});

test('malformed.every with a StringConverter writing and a JsonConverter reading: exactly those records fail', async () => {
  const writer = new StringConverter();
  writer.configure({});
  const reader = new JsonConverter();
  reader.configure({ 'schemas.enable': 'false' });
  const failed: number[] = [];
  for (const r of await records({ 'malformed.every': '4' }, 12)) {
    try {
      reader.toConnectData('t', writer.fromConnectData('t', r.valueSchema, r.value));
    } catch (e) {
      assert.ok(e instanceof ConversionError);
      failed.push(r.sourceOffset!['seq'] as number);
    }
  }
  assert.deepEqual(failed, [3, 7, 11]);
});
