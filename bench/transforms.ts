/**
 * Benchmark: records/s through the worker's record path (SMT chain + JsonConverter, as a source task runs it) with a
 * chain of 5 transforms vs none, in the same run on the same generated records. Prints both rates and the ratio.
 * Run: npm run bench:transforms  [-- --records N]
 */
import { performance } from 'node:perf_hooks';
import { GeneratorRecordFactory } from '../src/connectors/generator/record-factory.js';
import { parseGeneratorConfig } from '../src/connectors/generator/generator-config.js';
import type { SourceRecord } from '../src/plugins/connect-data.js';
import { errorHandlingConfig, ToleranceOperator } from '../src/runtime/worker/error-handling.js';
import { NO_TRANSFORMS, RecordProcessor } from '../src/runtime/worker/record-processor.js';
import type { RecordTransformer } from '../src/runtime/worker/record-processor.js';
import { silentLogger } from '../src/runtime/logger.js';
import { createDefaultRegistry } from '../src/runtime/bundled-plugins.js';
import { buildTransformationChain } from '../src/transforms/transformation-chain.js';

const args = process.argv.slice(2);
const RECORDS = Number(args[args.indexOf('--records') + 1] ?? 0) || 200_000;
const ROUNDS = 5;
const BATCH = 2000;
/** The bundled plugins, as a worker registers them: converters and transformations come from here. */
const plugins = createDefaultRegistry();

const CHAIN: Record<string, string> = {
  transforms: 'addSource,mask,cast,rename,route',
  'transforms.addSource.type': 'InsertField$Value',
  'transforms.addSource.static.field': 'source',
  'transforms.addSource.static.value': 'bench',
  'transforms.mask.type': 'MaskField$Value',
  'transforms.mask.fields': 'note',
  'transforms.cast.type': 'Cast$Value',
  'transforms.cast.spec': 'quantity:int64',
  'transforms.rename.type': 'ReplaceField$Value',
  'transforms.rename.renames': 'product:item',
  'transforms.route.type': 'RegexRouter',
  'transforms.route.regex': '(.*)',
  'transforms.route.replacement': '$1-routed',
};

function generate(): SourceRecord[] {
  const settings = parseGeneratorConfig({ topic: 'bench', shape: 'orders', seed: '1', 'value.size': '200', 'task.id': '0' });
  const factory = new GeneratorRecordFactory(settings, { generator: 'bench', task: 0 });
  const out: SourceRecord[] = new Array(RECORDS);
  for (let i = 0; i < RECORDS; i++) out[i] = factory.record(i, 1_700_000_000_000 + i) as SourceRecord;
  return out;
}

function processor(transformer: RecordTransformer): RecordProcessor {
  const worker = { 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter' };
  return new RecordProcessor({
    keyConverter: plugins.createConverter('key', {}, worker),
    valueConverter: plugins.createConverter('value', {}, worker),
    keyConverterClass: worker['key.converter'],
    valueConverterClass: worker['value.converter'],
    transformer,
    tolerance: new ToleranceOperator(errorHandlingConfig({}), { connector: 'bench', task: 0 }, silentLogger, undefined),
  });
}

async function rate(p: RecordProcessor, records: SourceRecord[]): Promise<{ perSec: number; produced: number }> {
  const t0 = performance.now();
  let produced = 0;
  for (let i = 0; i < records.length; i += BATCH) produced += (await p.toProducerRecords(records.slice(i, i + BATCH))).length;
  return { perSec: records.length / ((performance.now() - t0) / 1000), produced };
}

const records = generate();
const plain = processor(NO_TRANSFORMS);
const chained = processor(buildTransformationChain(CHAIN, plugins));
let bestPlain = 0;
let bestChained = 0;
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved rounds, so both see the same machine state; the best round of each is reported.
  bestPlain = Math.max(bestPlain, (await rate(plain, records)).perSec);
  const c = await rate(chained, records);
  if (c.produced !== records.length) throw new Error(`the chain dropped records: ${c.produced}`);
  bestChained = Math.max(bestChained, c.perSec);
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`transforms: ${fmt(RECORDS)} generated orders (~200 B), JsonConverter (schemas.enable=true), best of ${ROUNDS} rounds`);
console.log(`  no transforms:          ${fmt(bestPlain)} records/s`);
console.log(`  chain of 5 transforms:  ${fmt(bestChained)} records/s  (InsertField, MaskField, Cast, ReplaceField, RegexRouter)`);
console.log(`  ratio (chain / none):   ${(bestChained / bestPlain).toFixed(2)}`);
