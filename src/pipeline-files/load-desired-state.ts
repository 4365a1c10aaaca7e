/**
 * The spec layer's entry point: pipeline files → validated, normalised DesiredState plus every diagnostic found.
 * Order of work per document: YAML (syntax, duplicate keys) → references and variables → JSON Schema → normalisation;
 * then checks across the repository (duplicate pipeline and connector names, conflicting topics).
 */
import { readFileSync } from 'node:fs';
import { error, hasErrors, sortDiagnostics } from '../diag/diagnostic.js';
import { classWarnings } from './known-classes.js';
import type { Diagnostic, SourcePos } from '../diag/diagnostic.js';
import type { ConnectorSpec, DesiredState, PipelineSpec, TopicSpec } from './desired-state.js';
import { discoverPipelineFiles } from './discover.js';
import { normaliseConnector, scalarText } from './normalise-connector.js';
import type { RawConnector } from './normalise-connector.js';
import { scanReferences } from './references.js';
import { validateDocument } from './schema-validate.js';
import { substituteVariables, unescapeLiteral } from './variables.js';
import type { Variables } from './variables.js';
import { parseYamlFile } from './yaml-source.js';
import type { SourceDocument } from './yaml-source.js';

export interface LoadOptions {
  /** Files or folders; folders are searched recursively for *.yaml / *.yml. */
  paths: readonly string[];
  /** Base for relative paths and for the file names shown in diagnostics. */
  cwd: string;
  variables?: Variables;
}

export interface LoadResult {
  /** Complete only when `diagnostics` has no errors; otherwise it holds what could be read, for tooling. */
  state: DesiredState;
  diagnostics: Diagnostic[];
  files: number;
}

interface RawTopic {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, string | number | boolean>;
}

interface RawPipeline {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { topics?: RawTopic[]; connectors?: RawConnector[] };
}

export function loadDesiredState(options: LoadOptions): LoadResult {
  const variables = options.variables ?? new Map();
  const { files, diagnostics } = discoverPipelineFiles(options.paths, options.cwd);
  const state: DesiredState = { pipelines: [], connectors: [], topics: [] };
  const pipelineAt = new Map<string, SourcePos>();
  const connectorAt = new Map<string, SourcePos>();
  const topics = new Map<string, TopicSpec>();

  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.absolute, 'utf8');
    } catch (e) {
      diagnostics.push(error('PIPECTL_SPEC_READ_FAILED', `cannot read ${file.display}: ${(e as Error).message}`));
      continue;
    }
    const parsed = parseYamlFile(file.display, text);
    diagnostics.push(...parsed.diagnostics);
    for (const doc of parsed.documents) {
      resolveStrings(doc, variables, diagnostics);
      const schema = validateDocument(doc);
      diagnostics.push(...schema.diagnostics);
      // Keep checking what is well-formed, so one run reports every problem; the parts with schema errors are skipped.
      if (!schema.isValidAt(['metadata', 'name']) || !isObject(doc.value) || !isObject((doc.value as RawPipeline).spec)) continue;
      addPipeline(doc, doc.value as RawPipeline, schema.isValidAt);
    }
  }

  function addPipeline(doc: SourceDocument, raw: RawPipeline, isValidAt: (path: (string | number)[]) => boolean): void {
    const name = raw.metadata.name;
    const pos = doc.locate(['metadata', 'name'])?.value ?? doc.start;
    const first = pipelineAt.get(name);
    if (first) {
      diagnostics.push(error('PIPECTL_SPEC_DUPLICATE_PIPELINE', `pipeline "${name}" is already declared at ${where(first)}`, pos, 'pipeline names are unique in the repository'));
      return;
    }
    pipelineAt.set(name, pos);
    const pipeline: PipelineSpec = { name, labels: { ...(raw.metadata.labels ?? {}) }, file: doc.file, pos: doc.start, connectors: [], topics: [] };
    state.pipelines.push(pipeline);

    const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
    list(raw.spec.topics).forEach((t, i) => {
      if (!isValidAt(['spec', 'topics', i])) return;
      const topic = normaliseTopic(doc, i, t, name);
      pipeline.topics.push(topic.name);
      const existing = topics.get(topic.name);
      if (!existing) {
        topics.set(topic.name, topic);
        state.topics.push(topic);
      } else if (sameTopicSettings(existing, topic)) {
        existing.pipelines.push(name);
      } else {
        diagnostics.push(error('PIPECTL_SPEC_TOPIC_CONFLICT', `topic "${topic.name}" is also declared at ${where(existing.pos)} with different settings`, topic.pos, 'a shared topic must have the same partitions, replicationFactor and config everywhere'));
      }
    });

    list(raw.spec.connectors).forEach((c, i) => {
      if (!isValidAt(['spec', 'connectors', i])) return;
      const connector = normaliseConnector(doc, ['spec', 'connectors', i], c, name, diagnostics);
      if (!connector) return;
      if (!claimConnectorName(connector)) return;
      pipeline.connectors.push(connector.name);
      state.connectors.push(connector);
      diagnostics.push(...classWarnings(connector));
    });
  }

  function claimConnectorName(connector: ConnectorSpec): boolean {
    const first = connectorAt.get(connector.name);
    if (first) {
      diagnostics.push(error('PIPECTL_SPEC_DUPLICATE_CONNECTOR', `connector "${connector.name}" is already declared at ${where(first)}`, connector.pos, 'connector names are unique across the repository'));
      return false;
    }
    connectorAt.set(connector.name, connector.pos);
    return true;
  }

  return { state, diagnostics: sortDiagnostics(diagnostics), files: files.length };
}

/** True when the load produced a usable state. */
export function loadSucceeded(result: LoadResult): boolean {
  return !hasErrors(result.diagnostics);
}

function isObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function where(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/**
 * Walks every string value of a document: reports malformed references, substitutes `${var:…}`, and unescapes `$${`.
 * Runs before schema validation so that a variable can supply a number or boolean.
 */
function resolveStrings(doc: SourceDocument, variables: Variables, diagnostics: Diagnostic[]): void {
  const visit = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const pos = doc.locate(path)?.value ?? doc.start;
      const { problems } = scanReferences(value);
      for (const p of problems) diagnostics.push(error('PIPECTL_SPEC_REFERENCE_SYNTAX', p.message, pos));
      if (problems.length > 0) return value;
      const { value: substituted, missing } = substituteVariables(value, variables);
      for (const m of missing) {
        diagnostics.push(error('PIPECTL_SPEC_UNDEFINED_VARIABLE', `variable "${m.name}" is not defined`, pos, `pass --var ${m.name}=VALUE or define it in a --var-file`));
      }
      return typeof substituted === 'string' ? unescapeLiteral(substituted) : substituted;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => (value[i] = visit(item, [...path, i])));
      return value;
    }
    if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) obj[key] = visit(obj[key], [...path, key]);
      return obj;
    }
    return value;
  };
  doc.value = visit(doc.value, []);
}

function normaliseTopic(doc: SourceDocument, index: number, raw: RawTopic, pipeline: string): TopicSpec {
  const path = ['spec', 'topics', index];
  const config: Record<string, string> = {};
  const configPos: Record<string, SourcePos> = {};
  for (const key of Object.keys(raw.config ?? {}).sort()) {
    config[key] = scalarText(doc, [...path, 'config', key], raw.config![key]!);
    const at = keyPos(doc, [...path, 'config', key]);
    if (at) configPos[key] = at;
  }
  const settingPos: TopicSpec['settingPos'] = {};
  for (const field of ['partitions', 'replicationFactor'] as const) {
    const at = raw[field] === undefined ? undefined : keyPos(doc, [...path, field]);
    if (at) settingPos[field] = at;
  }
  return {
    name: raw.name,
    pipelines: [pipeline],
    ...(raw.partitions !== undefined ? { partitions: raw.partitions } : {}),
    ...(raw.replicationFactor !== undefined ? { replicationFactor: raw.replicationFactor } : {}),
    config,
    pos: doc.locate([...path, 'name'])?.value ?? doc.start,
    settingPos,
    configPos,
  };
}

/** Where a mapping entry was written: its key (what editors highlight for a setting), else its value. */
function keyPos(doc: SourceDocument, path: (string | number)[]): SourcePos | undefined {
  const loc = doc.locate(path);
  return loc?.key ?? loc?.value;
}

function sameTopicSettings(a: TopicSpec, b: TopicSpec): boolean {
  return a.partitions === b.partitions && a.replicationFactor === b.replicationFactor && JSON.stringify(a.config) === JSON.stringify(b.config);
}
