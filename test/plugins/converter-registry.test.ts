import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteArrayConverter } from '../../src/converters/byte-array-converter.js';
import { BUNDLED_CONVERTERS } from '../../src/converters/bundled-converters.js';
import { JsonConverter } from '../../src/converters/json-converter.js';
import { IntegerConverter } from '../../src/converters/number-converters.js';
import { StringConverter } from '../../src/converters/string-converter.js';
import { ConverterRegistry } from '../../src/plugins/converter-registry.js';

// The contract's converter registry with the bundled converters registered into it, as the composition root does.
const registry = new ConverterRegistry();
for (const plugin of BUNDLED_CONVERTERS) registry.register(plugin);
const converterClassNames = (): string[] => registry.classNames();
const resolveConverterClass = (name: string): string | undefined => registry.resolve(name);
const createConverter = registry.create.bind(registry);

test('converter class names are the fully qualified Connect names, sorted', () => {
  assert.deepEqual(converterClassNames(), [
    'org.apache.kafka.connect.converters.BooleanConverter',
    'org.apache.kafka.connect.converters.ByteArrayConverter',
    'org.apache.kafka.connect.converters.DoubleConverter',
    'org.apache.kafka.connect.converters.FloatConverter',
    'org.apache.kafka.connect.converters.IntegerConverter',
    'org.apache.kafka.connect.converters.LongConverter',
    'org.apache.kafka.connect.converters.ShortConverter',
    'org.apache.kafka.connect.json.JsonConverter',
    'org.apache.kafka.connect.storage.StringConverter',
  ]);
});

test('aliases: the FQCN, the simple name and the name without "Converter"', () => {
  for (const name of ['org.apache.kafka.connect.json.JsonConverter', 'JsonConverter', 'Json', ' Json ']) {
    assert.equal(resolveConverterClass(name), 'org.apache.kafka.connect.json.JsonConverter', name);
  }
  assert.equal(resolveConverterClass('ByteArray'), 'org.apache.kafka.connect.converters.ByteArrayConverter');
  assert.equal(resolveConverterClass('org.example.JsonConverter'), undefined);
  assert.equal(resolveConverterClass('Converter'), undefined);
  assert.equal(resolveConverterClass('toString'), undefined);
});

test("createConverter: the connector's setting wins, with its own sub-configs", () => {
  const worker = { 'key.converter': 'StringConverter', 'value.converter': 'JsonConverter', 'value.converter.schemas.enable': 'false' };
  assert.ok(createConverter('key', {}, worker) instanceof StringConverter);
  const workerValue = createConverter('value', {}, worker);
  assert.ok(workerValue instanceof JsonConverter);
  assert.equal(workerValue.fromConnectData('t', null, 1)?.toString(), '1');
  const own = createConverter('value', { 'value.converter': 'org.apache.kafka.connect.json.JsonConverter' }, worker);
  assert.equal(own.fromConnectData('t', null, 1)?.toString(), '{"schema":null,"payload":1}');
  assert.ok(createConverter('value', { 'value.converter': 'ByteArray' }, worker) instanceof ByteArrayConverter);
  assert.ok(createConverter('key', { 'key.converter': 'IntegerConverter' }, {}) instanceof IntegerConverter);
  assert.ok(createConverter('key', {}, {}) instanceof JsonConverter);
});

test('createConverter: unknown classes and bad sub-configs name the key', () => {
  assert.throws(() => createConverter('key', { 'key.converter': 'AvroConverter' }, {}), /Invalid value AvroConverter for configuration key\.converter/);
  assert.throws(() => createConverter('value', { 'value.converter': 'StringConverter', 'value.converter.converter.encoding': 'nope' }, {}), /configuration converter\.encoding/);
  assert.throws(() => createConverter('value', { 'value.converter': 'Json', 'value.converter.decimal.format': 'x' }, {}), /configuration decimal\.format/);
});

test('a converter class registered twice throws; an alias two classes claim resolves to neither', () => {
  const own = new ConverterRegistry();
  const json = BUNDLED_CONVERTERS.find((c) => c.className.endsWith('.JsonConverter'))!;
  own.register(json);
  assert.throws(() => own.register(json), /already registered/);
  own.register({ ...json, className: 'com.example.JsonConverter' });
  assert.equal(own.resolve('Json'), undefined);
  assert.equal(own.resolve('com.example.JsonConverter'), 'com.example.JsonConverter');
});
