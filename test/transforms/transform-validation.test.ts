import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigInfos } from '../../src/herder/types.js';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { validateTransforms } from '../../src/transforms/transform-validation.js';
import { registry } from './records.js';

const SOURCE = { name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: '/tmp/in.txt' };
const errorsOf = (infos: ConfigInfos): Record<string, string[]> => Object.fromEntries(infos.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));

test('validateConnectorConfig reports a misnamed transform type and a bad transform config on their keys', () => {
  const infos = createDefaultRegistry().validateConnectorConfig({
    ...SOURCE,
    transforms: 'route, cast, stamp',
    'transforms.route.type': 'RegexRouterr',
    'transforms.cast.type': 'Cast$Value',
    'transforms.cast.spec': 'a:int9',
    'transforms.stamp.type': 'TimestampRouter',
    'transforms.stamp.timestamp.format': 'yyyyMMdd-ww',
  });
  assert.deepEqual(errorsOf(infos), {
    'transforms.route.type': ['Invalid value RegexRouterr for configuration transforms.route.type: Class RegexRouterr could not be found.'],
    'transforms.cast.spec': ['Invalid type found in casting spec: int9'],
    'transforms.stamp.timestamp.format': [
      "Invalid value yyyyMMdd-ww for configuration timestamp.format: pattern letter 'ww' is not supported (supported: y, M, L, d, E, a, H, k, K, h, m, s, S, z, Z, X and quoted text)",
    ],
  });
  assert.equal(infos.error_count, 3, 'the herder refuses a config whose validation has errors');
  const spec = infos.configs.find((c) => c.definition.name === 'transforms.cast.spec')!;
  assert.deepEqual([spec.definition.group, spec.definition.order, spec.definition.display_name, spec.definition.required], ['Transforms: cast', 1, 'spec', true]);
  const names = infos.configs.map((c) => c.definition.name);
  assert.deepEqual(names.slice(names.indexOf('transforms.cast.type'), names.indexOf('transforms.cast.type') + 5), [
    'transforms.cast.type', 'transforms.cast.spec', 'transforms.cast.negate', 'transforms.cast.predicate', 'transforms.cast.replace.null.with.default',
  ], 'each alias\'s type is followed by its plugin\'s keys, required first, in Connect\'s order');
  const type = infos.configs.find((c) => c.definition.name === 'transforms.cast.type')!;
  assert.ok(type.value.recommended_values.includes('org.apache.kafka.connect.transforms.Cast$Value'));
});

test('a valid chain validates with no errors, and the plugin keys show their values', () => {
  const infos = createDefaultRegistry().validateConnectorConfig({
    ...SOURCE,
    transforms: 'route',
    'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
    'transforms.route.regex': '(.*)',
    'transforms.route.replacement': 'copy-$1',
    'transforms.route.predicate': 'p',
    predicates: 'p',
    'predicates.p.type': 'TopicNameMatches',
    'predicates.p.pattern': 't.*',
  });
  assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)));
  assert.equal(infos.configs.find((c) => c.value.name === 'transforms.route.replacement')?.value.value, 'copy-$1');
  assert.equal(infos.configs.find((c) => c.value.name === 'transforms.route.negate')?.value.value, 'false');
  assert.equal(infos.configs.find((c) => c.value.name === 'predicates.p.pattern')?.definition.group, 'Predicates: p');
});

const cases: [string, Record<string, string>, Record<string, string[] | RegExp>][] = [
  ['RegexRouter without regex', { transforms: 'r', 'transforms.r.type': 'RegexRouter', 'transforms.r.replacement': 'x' }, { 'transforms.r.regex': ['Missing required configuration "transforms.r.regex" which has no default value.'] }],
  ['RegexRouter with a replacement naming a missing group', { transforms: 'r', 'transforms.r.type': 'RegexRouter', 'transforms.r.regex': '(a)', 'transforms.r.replacement': '$3' }, { 'transforms.r.replacement': ['Invalid value $3 for configuration replacement: No group 3'] }],
  ['negate not boolean', { transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'p', 'transforms.f.negate': 'nope', predicates: 'p', 'predicates.p.type': 'RecordIsTombstone' }, { 'transforms.f.negate': ['Invalid value nope for configuration transforms.f.negate: Expected value to be either true or false'] }],
  ['undeclared predicate', { transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'p' }, { 'transforms.f.predicate': ["Invalid value p for configuration transforms.f.predicate: predicate 'p' is not declared in 'predicates'"] }],
  ['predicate type that is a transformation', { predicates: 'p', 'predicates.p.type': 'Filter' }, { 'predicates.p.type': ['Class org.apache.kafka.connect.transforms.Filter does not implement the Predicate interface'] }],
  ['unknown predicate type', { predicates: 'p', 'predicates.p.type': 'WheresTheFruit' }, { 'predicates.p.type': ['Invalid value WheresTheFruit for configuration predicates.p.type: Class WheresTheFruit could not be found.'] }],
  ['missing plugin key of a predicate', { predicates: 'p', 'predicates.p.type': 'HasHeaderKey' }, { 'predicates.p.name': ['Missing required configuration "predicates.p.name" which has no default value.'] }],
  ['duplicate predicates', { predicates: 'p, p', 'predicates.p.type': 'RecordIsTombstone' }, { predicates: ['Invalid value [p, p] for configuration predicates: Duplicate alias provided.'] }],
  ['ReplaceField bad renames', { transforms: 'r', 'transforms.r.type': 'ReplaceField$Key', 'transforms.r.renames': 'a' }, { 'transforms.r.renames': ['Invalid value [a] for configuration renames: Invalid rename mapping: a'] }],
  ['a valid config', { transforms: 'm', 'transforms.m.type': 'MaskField$Value', 'transforms.m.fields': 'ssn' }, {}],
];

for (const [name, config, expected] of cases) {
  test(`validateTransforms: ${name}`, () => {
    assert.deepEqual(Object.fromEntries(validateTransforms(config, registry)), expected);
  });
}

test('validateTransforms defaults to the bundled registry', () => {
  assert.deepEqual([...validateTransforms({ transforms: 'x', 'transforms.x.type': 'Nope' }).keys()], ['transforms.x.type']);
});
