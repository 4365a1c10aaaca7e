/**
 * An unknown key.converter / value.converter class is a config error at validate and create (Connect's ConfigDef
 * refuses a CLASS it cannot load), not a task that fails later.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { validatedConfig } from '../../src/runtime/herder-base/herder-answers.js';

const SOURCE = { name: 'c', 'connector.class': 'FileStreamSource', file: '/dev/null', topic: 't' };

function errorsOf(config: Record<string, string>): Record<string, string[]> {
  const infos = createDefaultRegistry().validateConnectorConfig(config);
  return Object.fromEntries(infos.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
}

test('config/validate reports an unknown converter class on its key, with Connect\'s message', () => {
  assert.deepEqual(errorsOf({ ...SOURCE, 'key.converter': 'Nope' }), { 'key.converter': ['Invalid value Nope for configuration key.converter: Class Nope could not be found.'] });
  assert.deepEqual(errorsOf({ ...SOURCE, 'value.converter': 'com.example.AvroConverter' }), { 'value.converter': ['Invalid value com.example.AvroConverter for configuration value.converter: Class com.example.AvroConverter could not be found.'] });
  for (const known of ['org.apache.kafka.connect.json.JsonConverter', 'StringConverter', 'org.apache.kafka.connect.converters.ByteArrayConverter', ' JsonConverter ']) {
    assert.deepEqual(errorsOf({ ...SOURCE, 'key.converter': known, 'value.converter': known }), {}, known);
  }
});

test('a create with an unknown converter is refused with 400 (BadRequestError) naming the key', () => {
  assert.throws(() => validatedConfig('c', { ...SOURCE, 'key.converter': 'Nope' }, createDefaultRegistry()), (e: Error & { kind?: string }) => {
    assert.equal(e.kind, 'bad_request');
    assert.match(e.message, /contains the following 1 error\(s\):\nkey\.converter: Invalid value Nope for configuration key\.converter: Class Nope could not be found\./);
    return true;
  });
});
