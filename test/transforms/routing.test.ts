import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJavaRegex, compileJavaReplacement, replaceFirst } from '../../src/transforms/java-regex.js';
import { compileDateFormat } from '../../src/transforms/simple-date-format.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { predicate, sinkRecord, sourceRecord, transform, TS } from './records.js';

const routes: [string, Record<string, string>, string, string][] = [
  ['groups are Java-style $1', { regex: '(.*)-raw', replacement: '$1-clean' }, 'orders-raw', 'orders-clean'],
  ['a topic that does not match entirely is left alone', { regex: 'orders', replacement: 'x' }, 'orders-raw', 'orders-raw'],
  ['named groups ${name}', { regex: '(?<env>dev|prod)\\.(?<t>.*)', replacement: '${t}_${env}' }, 'prod.orders', 'orders_prod'],
  ['\\$ is a literal dollar', { regex: 'a(.)', replacement: '\\$$1' }, 'ab', '$b'],
  ['$12 means group 1 then "2" when there is no group 12', { regex: '(a)(b)', replacement: '$12' }, 'ab', 'a2'],
  ['replaceFirst replaces only the first match of an alternation', { regex: 'a|ab', replacement: 'X' }, 'ab', 'Xb'],
  ['(?i) leading flag', { regex: '(?i)ORDERS', replacement: 'o' }, 'orders', 'o'],
  ['\\Q…\\E quotes', { regex: '\\Qa.b\\E(.*)', replacement: 'q$1' }, 'a.bc', 'qc'],
  ['POSIX classes', { regex: '\\p{Alpha}+(\\p{Digit}+)', replacement: 'n$1' }, 'abc123', 'n123'],
];

for (const [name, config, topic, expected] of routes) {
  test(`RegexRouter: ${name}`, () => assert.equal(transform('RegexRouter', config).apply(sinkRecord({ topic }))?.topic, expected));
}

test('RegexRouter keeps every other field of the record', () => {
  const input = sourceRecord({ topic: 'a-raw', key: 'k', value: { v: 1 } });
  const out = transform('org.apache.kafka.connect.transforms.RegexRouter', { regex: '(.*)-raw', replacement: '$1' }).apply(input);
  assert.deepEqual(out, { ...input, topic: 'a' });
});

const routerErrors: [Record<string, string>, string, RegExp][] = [
  [{ replacement: 'x' }, 'regex', /^Missing required configuration "regex" which has no default value\.$/],
  [{ regex: '(a', replacement: 'x' }, 'regex', /^Invalid value \(a for configuration regex: Invalid regex: /],
  [{ regex: 'a++', replacement: 'x' }, 'regex', /possessive quantifiers are not supported/],
  [{ regex: '(a)', replacement: '$2' }, 'replacement', /^Invalid value \$2 for configuration replacement: No group 2$/],
  [{ regex: '(a)', replacement: '$x' }, 'replacement', /Illegal group reference/],
  [{ regex: '(a)', replacement: '${nope}' }, 'replacement', /No group with name \{nope\}/],
  [{ regex: 'a' }, 'replacement', /^Missing required configuration "replacement"/],
];

for (const [config, key, message] of routerErrors) {
  test(`RegexRouter config error on ${key}: ${JSON.stringify(config)}`, () => {
    assert.throws(() => transform('RegexRouter', config), (e: unknown) => e instanceof TransformConfigError && e.key === key && message.test(e.message));
  });
}

test('java-regex: group count, whole match, and replacement parts', () => {
  const p = compileJavaRegex('(x)(?<n>y)?\\Az');
  assert.equal(p.groupCount, 2);
  assert.deepEqual([...p.groupNames], ['n']);
  assert.equal(replaceFirst('xz', compileJavaRegex('(x)(y)?z'), compileJavaReplacement('[$2|$1]', compileJavaRegex('(x)(y)?z'))), '[|x]', 'a group that did not take part is empty');
  assert.throws(() => compileJavaRegex('(?>a)'), /atomic groups/);
  assert.throws(() => compileJavaReplacement('a\\', compileJavaRegex('a')), /character to be escaped is missing/);
});

const stamps: [Record<string, string>, string][] = [
  [{}, 'orders-20240305'],
  [{ 'topic.format': 'ts_${timestamp}_${topic}_${topic}', 'timestamp.format': 'yyyy-MM-dd HH:mm:ss.SSS' }, 'ts_2024-03-05 07:08:09.010_orders_orders'],
  [{ 'timestamp.format': "yy'w'M-d'T''x'" }, "orders-24w3-5T'x"],
  [{ 'topic.format': 'fixed' }, 'fixed'],
  [{ 'topic.format': '${timestamp}', 'timestamp.format': 'EEE, d MMM yyyy hh:mm a Z (EEEE MMMM, k K z XXX)' }, 'Tue, 5 Mar 2024 07:08 AM +0000 (Tuesday March, 7 7 UTC Z)'],
];

for (const [config, expected] of stamps) {
  test(`TimestampRouter ${JSON.stringify(config)} → ${expected}`, () => assert.equal(transform('TimestampRouter', config).apply(sinkRecord())?.topic, expected));
}

test('TimestampRouter: a record without timestamp is a TransformDataError; bad formats are config errors', () => {
  assert.throws(() => transform('TimestampRouter').apply(sinkRecord({ timestamp: null })), (e: unknown) => e instanceof TransformDataError && /^Timestamp missing on record: ConnectRecord\{topic='orders'/.test(e.message));
  for (const [format, message] of [['yyyyMMdd ww', /pattern letter 'ww' is not supported/], ['yyyy-b', /Illegal pattern character 'b'/], ["'open", /Unterminated quote/]] as const) {
    assert.throws(() => transform('TimestampRouter', { 'timestamp.format': format }), (e: unknown) => e instanceof TransformConfigError && e.key === 'timestamp.format' && message.test(e.message), format);
  }
  assert.equal(compileDateFormat('y/yyyyy/S').format(TS), '2024/02024/10');
});

test('Filter drops every record', () => {
  assert.equal(transform('Filter').apply(sinkRecord({ value: 'x' })), null);
});

const predicateCases: [string, string, Record<string, string>, Parameters<typeof sinkRecord>[0], boolean][] = [
  ['TopicNameMatches matches the whole topic', 'TopicNameMatches', { pattern: 'ord.*' }, {}, true],
  ['TopicNameMatches does not match a part', 'TopicNameMatches', { pattern: 'ord' }, {}, false],
  ['HasHeaderKey finds a header by name', 'HasHeaderKey', { name: 'trace' }, { headers: [{ key: 'a', value: 1 }, { key: 'trace', value: null }] }, true],
  ['HasHeaderKey is false without headers', 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey', { name: 'trace' }, { headers: undefined }, false],
  ['RecordIsTombstone is true for a null value', 'RecordIsTombstone', {}, { key: 'k', value: null }, true],
  ['RecordIsTombstone is false for a value', 'RecordIsTombstone', {}, { value: '' }, false],
];

for (const [name, type, config, input, expected] of predicateCases) {
  test(`predicate: ${name}`, () => assert.equal(predicate(type, config).test(sinkRecord(input)), expected));
}

test('predicate config errors name their key', () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['TopicNameMatches', {}, 'pattern', /Missing required configuration "pattern"/],
    ['TopicNameMatches', { pattern: '' }, 'pattern', /^Invalid value  for configuration pattern: String must be non-empty$/],
    ['TopicNameMatches', { pattern: '[' }, 'pattern', /^Invalid value \[ for configuration pattern: Invalid regex: /],
    ['HasHeaderKey', { name: ' ' }, 'name', /String must be non-empty/],
  ];
  for (const [type, config, key, message] of cases) {
    assert.throws(() => predicate(type, config), (e: unknown) => e instanceof TransformConfigError && e.key === key && message.test(e.message), JSON.stringify(config));
  }
});
