import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { TransformationRegistry } from '../../src/plugins/transformation-registry.js';
import { createDefaultTransformationRegistry } from '../../src/transforms/bundled-transformations.js';

const T = 'org.apache.kafka.connect.transforms.';

test('plugins are found by class name and by alias, with the $Key/$Value variants separate', () => {
  const registry = createDefaultTransformationRegistry();
  assert.equal(registry.find(`${T}InsertField$Value`)?.className, `${T}InsertField$Value`);
  assert.equal(registry.find(' InsertField$Key ')?.className, `${T}InsertField$Key`);
  assert.equal(registry.find('TopicNameMatches')?.kind, 'predicate');
  assert.equal(registry.find('InsertField'), undefined);
  assert.deepEqual(registry.resolve('transforms.a.type', 'Flatten', 'transformation'), { error: `This class is abstract and cannot be created. Did you mean ${T}Flatten$Key, ${T}Flatten$Value?` });
  assert.deepEqual(registry.configDef('RegexRouter')?.map((k) => k.name), ['regex', 'replacement']);
  assert.deepEqual(registry.pluginConfig('Flatten$Value')?.[0], {
    name: 'delimiter', type: 'STRING', required: false, default_value: '.', importance: 'MEDIUM',
    documentation: 'Delimiter to insert between field names from the input record when generating field names for the output record', group: null, order: -1, width: 'NONE', display_name: 'delimiter', dependents: [],
  });
  assert.throws(() => registry.register(registry.find('Filter')!), /already registered/);
});

test('an alias two plugins claim resolves to neither', () => {
  const registry = new TransformationRegistry();
  const filter = createDefaultTransformationRegistry().find('Filter')!;
  registry.register(filter);
  registry.register({ ...filter, className: 'com.example.Filter' });
  assert.equal(registry.find('Filter'), undefined);
  assert.equal(registry.find('com.example.Filter')?.className, 'com.example.Filter');
});

test('the plugin list has every bundled transformation then every predicate, sorted, with versions', () => {
  const infos = createDefaultRegistry().transformationPlugins();
  const classes = infos.map((p) => p.class.replace(T, ''));
  assert.deepEqual(classes, [
    'io.debezium.transforms.ExtractNewRecordState',
    'Cast$Key', 'Cast$Value', 'DropHeaders', 'ExtractField$Key', 'ExtractField$Value', 'Filter', 'Flatten$Key', 'Flatten$Value', 'HeaderFrom$Key', 'HeaderFrom$Value',
    'HoistField$Key', 'HoistField$Value', 'InsertField$Key', 'InsertField$Value', 'InsertHeader', 'MaskField$Key', 'MaskField$Value', 'RegexRouter', 'ReplaceField$Key',
    'ReplaceField$Value', 'SetSchemaMetadata$Key', 'SetSchemaMetadata$Value', 'TimestampConverter$Key', 'TimestampConverter$Value', 'TimestampRouter', 'ValueToKey',
    'predicates.HasHeaderKey', 'predicates.RecordIsTombstone', 'predicates.TopicNameMatches',
  ]);
  assert.deepEqual(new Set(infos.map((p) => p.type)), new Set(['transformation', 'predicate']));
  assert.ok(infos.every((p) => typeof p.version === 'string' && p.version.length > 0));
});
