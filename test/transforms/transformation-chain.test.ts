import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectRecord } from '../../src/plugins/connect-data.js';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { buildTransformationChain, TransformStageError } from '../../src/transforms/transformation-chain.js';
import { TransformationRegistry } from '../../src/plugins/transformation-registry.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import type { Transformation, TransformationPlugin } from '../../src/plugins/transformation.js';
import { registry, sinkRecord } from './records.js';

/** InsertField + MaskField + RegexRouter, then Filter on the records whose (new) topic matches `audit-.*`. */
const PIPELINE = {
  name: 'orders-sink',
  transforms: 'addTopic, mask, route, dropAudit',
  'transforms.addTopic.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
  'transforms.addTopic.topic.field': 'source_topic',
  'transforms.mask.type': 'MaskField$Value',
  'transforms.mask.fields': 'card',
  'transforms.route.type': 'RegexRouter',
  'transforms.route.regex': 'raw\\.(.*)',
  'transforms.route.replacement': '$1',
  'transforms.dropAudit.type': 'Filter',
  'transforms.dropAudit.predicate': 'isAudit',
  predicates: 'isAudit',
  'predicates.isAudit.type': 'TopicNameMatches',
  'predicates.isAudit.pattern': 'audit-.*',
};

test('a chain reshapes, routes and drops records in transforms order', () => {
  const chain = buildTransformationChain(PIPELINE, registry);
  assert.deepEqual(chain.aliases, ['addTopic', 'mask', 'route', 'dropAudit']);
  const order = chain.apply(sinkRecord({ topic: 'raw.orders', value: { id: 1, card: '4111' } }));
  assert.deepEqual([order?.topic, order?.value, order?.kafkaOffset], ['orders', { id: 1, card: '', source_topic: 'raw.orders' }, 42]);
  assert.equal(chain.apply(sinkRecord({ topic: 'raw.audit-log', value: { id: 2, card: 'x' } })), null, 'routed onto audit-log, then filtered');
  assert.equal(chain.apply(sinkRecord({ topic: 'raw.audit-log', value: null })), null, 'a tombstone passes InsertField/MaskField and is filtered too');
  assert.deepEqual(chain.apply(sinkRecord({ topic: 'other', value: {} }))?.topic, 'other', 'RegexRouter leaves a non-matching topic');
  assert.deepEqual(chain.close(), []);
});

test('negate runs the stage only when the predicate is false', () => {
  const chain = buildTransformationChain(
    { transforms: 'keepOnlyTraced', 'transforms.keepOnlyTraced.type': 'Filter', 'transforms.keepOnlyTraced.predicate': 'traced', 'transforms.keepOnlyTraced.negate': 'true', predicates: 'traced', 'predicates.traced.type': 'HasHeaderKey', 'predicates.traced.name': 'trace-id' },
    registry,
  );
  const traced = sinkRecord({ headers: [{ key: 'trace-id', value: 'abc' }] });
  assert.equal(chain.apply(traced), traced);
  assert.equal(chain.apply(sinkRecord({ headers: [] })), null);
});

test('a tombstone filter with RecordIsTombstone, and an empty chain returns the record itself', () => {
  const chain = buildTransformationChain({ transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 't', 'transforms.f.negate': 'false', predicates: 't', 'predicates.t.type': 'RecordIsTombstone' }, registry);
  assert.equal(chain.apply(sinkRecord({ value: null })), null);
  assert.ok(chain.apply(sinkRecord({ value: 1 })));
  const record = sinkRecord();
  assert.equal(buildTransformationChain({ name: 'x' }, registry).apply(record), record);
});

test('a failing stage is reported with its alias, class and cause', () => {
  const config = { transforms: 'ok, ins', 'transforms.ok.type': 'HoistField$Key', 'transforms.ok.field': 'k', 'transforms.ins.type': 'InsertField$Value', 'transforms.ins.topic.field': 't' };
  const chain = buildTransformationChain(config, createDefaultRegistry());
  let thrown: unknown;
  try {
    chain.apply(sinkRecord({ value: 'not a map' }));
  } catch (e) {
    thrown = e;
  }
  assert.equal(chain.classOf(thrown), 'org.apache.kafka.connect.transforms.InsertField$Value', 'the worker reports the class of the failing stage');
  assert.equal(chain.classOf(new Error('other')), '');
  assert.throws(
    () => chain.apply(sinkRecord({ value: 'not a map' })),
    (e: unknown) =>
      e instanceof TransformStageError && e.alias === 'ins' && e.className === 'org.apache.kafka.connect.transforms.InsertField$Value' && e.cause instanceof TransformDataError &&
      e.message === 'Error in transformation stage (alias ins, org.apache.kafka.connect.transforms.InsertField$Value): Only Map objects supported in absence of schema for [field insertion], found: java.lang.String',
  );
});

const badConfigs: [string, Record<string, string>, string, RegExp][] = [
  ['unknown type', { transforms: 'a', 'transforms.a.type': 'InsertFeld$Value' }, 'transforms.a.type', /^Invalid value InsertFeld\$Value for configuration transforms\.a\.type: Class InsertFeld\$Value could not be found\.$/],
  ['missing type', { transforms: 'a' }, 'transforms.a.type', /^Missing required configuration "transforms\.a\.type" which has no default value\.$/],
  ['abstract type', { transforms: 'a', 'transforms.a.type': 'InsertField' }, 'transforms.a.type', /This class is abstract and cannot be created\. Did you mean org\.apache\.kafka\.connect\.transforms\.InsertField\$Key, org\.apache\.kafka\.connect\.transforms\.InsertField\$Value\?/],
  ['predicate used as a transformation', { transforms: 'a', 'transforms.a.type': 'RecordIsTombstone' }, 'transforms.a.type', /does not implement the Transformation interface/],
  ['duplicate aliases', { transforms: 'a, a', 'transforms.a.type': 'Filter' }, 'transforms', /Duplicate alias provided/],
  ['undeclared predicate', { transforms: 'a', 'transforms.a.type': 'Filter', 'transforms.a.predicate': 'p' }, 'transforms.a.predicate', /predicate 'p' is not declared in 'predicates'/],
  ['negate without predicate', { transforms: 'a', 'transforms.a.type': 'Filter', 'transforms.a.negate': 'true' }, 'transforms.a.type', /'transforms\.a\.negate' was provided but there is no config 'transforms\.a\.predicate'/],
  ['negate not a boolean', { transforms: 'a', 'transforms.a.type': 'Filter', 'transforms.a.predicate': 'p', 'transforms.a.negate': 'maybe', predicates: 'p', 'predicates.p.type': 'RecordIsTombstone' }, 'transforms.a.negate', /Expected value to be either true or false/],
  ['bad plugin config', { transforms: 'r', 'transforms.r.type': 'RegexRouter', 'transforms.r.replacement': 'x' }, 'transforms.r.regex', /Missing required configuration "transforms\.r\.regex"/],
  ['bad predicate config', { transforms: 'a', 'transforms.a.type': 'Filter', 'transforms.a.predicate': 'p', predicates: 'p', 'predicates.p.type': 'TopicNameMatches', 'predicates.p.pattern': '(' }, 'predicates.p.pattern', /Invalid regex/],
  ['a configure() check across keys', { transforms: 'i', 'transforms.i.type': 'InsertField$Value' }, 'transforms.i.type', /^transforms\.i\.type: No field insertion configured$/],
];

for (const [name, config, key, message] of badConfigs) {
  test(`building a chain fails on ${name}, naming ${key}`, () => {
    assert.throws(() => buildTransformationChain(config, registry), (e: unknown) => e instanceof TransformConfigError && e.key === key && message.test(e.message));
  });
}

test('close() closes every stage and returns failures instead of throwing; a failed build closes what it made', () => {
  const closed: string[] = [];
  const spy = (name: string, fail = false): TransformationPlugin => ({
    kind: 'transformation', className: `test.${name}`, aliases: [name], version: '1', configDef: [],
    create: (): Transformation => ({
      configure: (c) => {
        if (c['boom']) throw new TransformConfigError('boom', 'bad boom');
      },
      apply: <R extends ConnectRecord>(r: R): R => r,
      close: () => {
        closed.push(name);
        if (fail) throw new Error(`close ${name}`);
      },
    }),
  });
  const own = new TransformationRegistry();
  for (const p of [spy('A'), spy('B', true)]) own.register(p);
  const chain = buildTransformationChain({ transforms: 'a,b', 'transforms.a.type': 'A', 'transforms.b.type': 'B' }, own);
  const failures = chain.close();
  assert.deepEqual(closed, ['A', 'B']);
  assert.deepEqual(failures.map((f) => [f.alias, (f.error as Error).message]), [['b', 'close B']]);

  closed.length = 0;
  assert.throws(() => buildTransformationChain({ transforms: 'a,b', 'transforms.a.type': 'A', 'transforms.b.type': 'A', 'transforms.b.boom': '1' }, own), (e: unknown) => e instanceof TransformConfigError && e.key === 'transforms.b.boom' && e.message === 'transforms.b.boom: bad boom');
  assert.deepEqual(closed, ['A', 'A'], 'the configured stage and the one that failed are closed');
});
