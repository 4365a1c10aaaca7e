/**
 * The transformations and predicates pipectl bundles, as registry entries under Connect's class names
 * (`org.apache.kafka.connect.transforms.InsertField$Value`) with the short alias (`InsertField$Value`). Each
 * `$Key` / `$Value` variant is its own plugin, as in Connect. The composition root (src/runtime/bundled-plugins.ts)
 * registers `bundledTransformations` into a worker's registry. One is Debezium's rather than Connect's:
 * `io.debezium.transforms.ExtractNewRecordState`.
 */
import { BUNDLED_PLUGIN_VERSION } from '../plugins/bundled-version.js';
import type { ConfigDef } from '../plugins/config-def.js';
import type { PluginPackage } from '../plugins/plugin-package.js';
import { TransformationRegistry } from '../plugins/transformation-registry.js';
import type { Predicate, Transformation, TransformationPlugin } from '../plugins/transformation.js';
import { Cast, CAST_CONFIG } from './cast.js';
import { DROP_HEADERS_CONFIG, DropHeaders } from './drop-headers.js';
import { EXTRACT_FIELD_CONFIG, ExtractField } from './extract-field.js';
import { DEBEZIUM_TRANSFORMS_PACKAGE, EXTRACT_NEW_RECORD_STATE_CONFIG, ExtractNewRecordState } from './extract-new-record-state.js';
import { Filter, FILTER_CONFIG } from './filter.js';
import { Flatten, FLATTEN_CONFIG } from './flatten.js';
import { HEADER_FROM_CONFIG, HeaderFrom } from './header-from.js';
import { HOIST_FIELD_CONFIG, HoistField } from './hoist-field.js';
import { INSERT_FIELD_CONFIG, InsertField } from './insert-field.js';
import { INSERT_HEADER_CONFIG, InsertHeader } from './insert-header.js';
import { MASK_FIELD_CONFIG, MaskField } from './mask-field.js';
import type { RecordSide } from './operating-side.js';
import { HAS_HEADER_KEY_CONFIG, HasHeaderKey, RECORD_IS_TOMBSTONE_CONFIG, RecordIsTombstone, TOPIC_NAME_MATCHES_CONFIG, TopicNameMatches } from './predicates.js';
import { REGEX_ROUTER_CONFIG, RegexRouter } from './regex-router.js';
import { REPLACE_FIELD_CONFIG, ReplaceField } from './replace-field.js';
import { SET_SCHEMA_METADATA_CONFIG, SetSchemaMetadata } from './set-schema-metadata.js';
import { TIMESTAMP_CONVERTER_CONFIG, TimestampConverter } from './timestamp-converter.js';
import { TIMESTAMP_ROUTER_CONFIG, TimestampRouter } from './timestamp-router.js';
import { VALUE_TO_KEY_CONFIG, ValueToKey } from './value-to-key.js';

export const TRANSFORMS_PACKAGE = 'org.apache.kafka.connect.transforms';
export const PREDICATES_PACKAGE = 'org.apache.kafka.connect.transforms.predicates';

function plugin(kind: TransformationPlugin['kind'], pkg: string, simpleName: string, configDef: ConfigDef, create: () => Transformation | Predicate): TransformationPlugin {
  return { kind, className: `${pkg}.${simpleName}`, aliases: [simpleName], version: BUNDLED_PLUGIN_VERSION, configDef, create };
}

/** The `$Key` and `$Value` plugins of a transformation that works on either side. */
function keyAndValue(name: string, configDef: ConfigDef, create: (side: RecordSide) => Transformation): TransformationPlugin[] {
  return [
    plugin('transformation', TRANSFORMS_PACKAGE, `${name}$Key`, configDef, () => create('key')),
    plugin('transformation', TRANSFORMS_PACKAGE, `${name}$Value`, configDef, () => create('value')),
  ];
}

/** Every bundled transformation and predicate. */
export const BUNDLED_TRANSFORMATIONS: readonly TransformationPlugin[] = [
  ...keyAndValue('Cast', CAST_CONFIG, (side) => new Cast(side)),
  plugin('transformation', TRANSFORMS_PACKAGE, 'DropHeaders', DROP_HEADERS_CONFIG, () => new DropHeaders()),
  ...keyAndValue('ExtractField', EXTRACT_FIELD_CONFIG, (side) => new ExtractField(side)),
  plugin('transformation', TRANSFORMS_PACKAGE, 'Filter', FILTER_CONFIG, () => new Filter()),
  ...keyAndValue('Flatten', FLATTEN_CONFIG, (side) => new Flatten(side)),
  ...keyAndValue('HeaderFrom', HEADER_FROM_CONFIG, (side) => new HeaderFrom(side)),
  ...keyAndValue('HoistField', HOIST_FIELD_CONFIG, (side) => new HoistField(side)),
  ...keyAndValue('InsertField', INSERT_FIELD_CONFIG, (side) => new InsertField(side)),
  plugin('transformation', TRANSFORMS_PACKAGE, 'InsertHeader', INSERT_HEADER_CONFIG, () => new InsertHeader()),
  ...keyAndValue('MaskField', MASK_FIELD_CONFIG, (side) => new MaskField(side)),
  plugin('transformation', TRANSFORMS_PACKAGE, 'RegexRouter', REGEX_ROUTER_CONFIG, () => new RegexRouter()),
  ...keyAndValue('ReplaceField', REPLACE_FIELD_CONFIG, (side) => new ReplaceField(side)),
  ...keyAndValue('SetSchemaMetadata', SET_SCHEMA_METADATA_CONFIG, (side) => new SetSchemaMetadata(side)),
  ...keyAndValue('TimestampConverter', TIMESTAMP_CONVERTER_CONFIG, (side) => new TimestampConverter(side)),
  plugin('transformation', TRANSFORMS_PACKAGE, 'TimestampRouter', TIMESTAMP_ROUTER_CONFIG, () => new TimestampRouter()),
  plugin('transformation', TRANSFORMS_PACKAGE, 'ValueToKey', VALUE_TO_KEY_CONFIG, () => new ValueToKey()),
  // Debezium's, not Connect's: pipectl bundles it so that its CDC events can be unwrapped in front of a sink.
  plugin('transformation', DEBEZIUM_TRANSFORMS_PACKAGE, 'ExtractNewRecordState', EXTRACT_NEW_RECORD_STATE_CONFIG, () => new ExtractNewRecordState()),
  plugin('predicate', PREDICATES_PACKAGE, 'HasHeaderKey', HAS_HEADER_KEY_CONFIG, () => new HasHeaderKey()),
  plugin('predicate', PREDICATES_PACKAGE, 'RecordIsTombstone', RECORD_IS_TOMBSTONE_CONFIG, () => new RecordIsTombstone()),
  plugin('predicate', PREDICATES_PACKAGE, 'TopicNameMatches', TOPIC_NAME_MATCHES_CONFIG, () => new TopicNameMatches()),
];

/** This package's registration: the bundled transformations and predicates. */
export const bundledTransformations: PluginPackage = { name: 'transforms', transformations: BUNDLED_TRANSFORMATIONS };

/**
 * A transformation registry holding only the bundled transformations and predicates: the default of
 * validateTransforms, and a convenience for tests and benchmarks. A worker's registry is built by the composition root.
 */
export function createDefaultTransformationRegistry(): TransformationRegistry {
  const registry = new TransformationRegistry();
  for (const plugin of BUNDLED_TRANSFORMATIONS) registry.register(plugin);
  return registry;
}
