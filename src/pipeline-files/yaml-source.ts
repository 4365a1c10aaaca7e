/**
 * Reads YAML text into plain values while keeping where every key and value came from, so that schema and semantic
 * errors found later can point at `file:line:column`. Built on the `yaml` package's AST; no YAML parsing of our own.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Node as YamlNode, ParsedNode } from 'yaml';
import { error } from '../diag/diagnostic.js';
import type { Diagnostic, SourcePos } from '../diag/diagnostic.js';

/** A JSON pointer split into segments: `['spec', 'connectors', 0, 'name']`. */
export type Path = readonly (string | number)[];

export interface NodeLocation {
  /** Where the key of this value starts (absent for array items and document roots). */
  key?: SourcePos;
  /** Where the value starts. */
  value: SourcePos;
  /** For scalars: the text as written (before YAML typed it), used to keep numbers exact. */
  text?: string;
}

/** One YAML document of a file, as a plain value plus the location of every node in it. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the document within its file. */
  index: number;
  value: unknown;
  /** Where the document starts. */
  start: SourcePos;
  locate(path: Path): NodeLocation | undefined;
}

export function pathKey(path: Path): string {
  // '\u0000' cannot appear in YAML keys we care about, so it is a safe separator.
  return path.join('\u0000');
}

/**
 * Parses every document of a file. Syntax errors and duplicate keys are returned as diagnostics; a document that has
 * any error is not returned (we never guess what a broken document meant).
 */
export function parseYamlFile(file: string, text: string): { documents: SourceDocument[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  // parseAllDocuments returns an EmptyStream (no errors) for empty input.
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, index) => {
    let syntaxReported = false;
    for (const e of doc.errors) {
      if (e.code !== 'DUPLICATE_KEY') {
        // The first syntax error of a document is the real one; the parser's later errors are mostly its echoes.
        if (syntaxReported) continue;
        syntaxReported = true;
      }
      if (e.code === 'DUPLICATE_KEY') {
        const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(e.pos[0]))?.[1]?.trim() ?? '';
        diagnostics.push(error('PIPECTL_SPEC_DUPLICATE_KEY', `duplicate key "${key}"`, posAt(e.pos[0]), 'a mapping may set each key once'));
      } else {
        diagnostics.push(error('PIPECTL_SPEC_YAML_SYNTAX', firstLine(e.message), posAt(e.pos[0])));
      }
    }
    // A duplicate key alone leaves a well-formed tree (the later key wins while we report the clash), so the
    // document is still checked further; any other error means we cannot know what the document meant.
    if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return;
    // An empty document, e.g. between two `---` or after a trailing one.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && !doc.contents.source)) return;
    const locations = new Map<string, NodeLocation>();
    const resolveAlias = (node: YamlNode): YamlNode | undefined => (isAlias(node) ? (node.resolve(doc) as YamlNode | undefined) : node);
    const value = toPlain(doc.contents as ParsedNode, '', { locations, posAt, resolveAlias }, undefined);
    documents.push({
      file,
      index,
      value,
      start: posAt(doc.contents.range?.[0] ?? 0),
      locate: (path) => locations.get(pathKey(path)),
    });
  });
  return { documents, diagnostics };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // The yaml package appends " at line X, column Y"; we print our own position.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** The location key of a child, built incrementally (same result as {@link pathKey} of the full path). */
function childKey(parent: string, segment: string | number): string {
  return parent === '' ? String(segment) : `${parent}\u0000${segment}`;
}

/** A mapping key as text; the `yaml` package marks a merge key with a symbol, which we spell `<<`. */
function keyText(keyNode: YamlNode | null): string {
  if (!isScalar(keyNode)) return String(keyNode);
  return typeof keyNode.value === 'symbol' ? '<<' : String(keyNode.value);
}

interface WalkContext {
  locations: Map<string, NodeLocation>;
  posAt: (offset: number) => SourcePos;
  resolveAlias: (node: YamlNode) => YamlNode | undefined;
}

/**
 * Converts an AST node to a plain value, recording locations. Aliases resolve to their anchor (positions then point at
 * the anchor, which is where the text to fix is); `<<` merge keys copy the merged map's entries that are not set here.
 */
function toPlain(node: YamlNode | null | undefined, path: string, ctx: WalkContext, keyPos: SourcePos | undefined): unknown {
  if (node === null || node === undefined) return null;
  const target = ctx.resolveAlias(node);
  if (target === undefined) return null;
  const start = ctx.posAt(target.range?.[0] ?? 0);
  const loc: NodeLocation = { value: start, ...(keyPos ? { key: keyPos } : {}) };
  ctx.locations.set(path, loc);
  if (isScalar(target)) {
    if (typeof target.source === 'string') loc.text = target.source;
    return target.value ?? null;
  }
  if (isMap(target)) {
    const out: Record<string, unknown> = {};
    const merged: YamlNode[] = [];
    for (const pair of target.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const key = keyText(keyNode);
      const child = pair.value as YamlNode | null;
      if (key === '<<' && child) {
        const source = ctx.resolveAlias(child);
        if (isSeq(source)) merged.push(...(source.items as YamlNode[]));
        else if (source) merged.push(source);
        continue;
      }
      const kPos = keyNode?.range ? ctx.posAt(keyNode.range[0]) : start;
      if (child) {
        out[key] = toPlain(child, childKey(path, key), ctx, kPos);
      } else {
        // `key:` with nothing after it: the value's position is the key's.
        ctx.locations.set(childKey(path, key), { key: kPos, value: kPos });
        out[key] = null;
      }
    }
    for (const m of merged) {
      const mapNode = ctx.resolveAlias(m);
      if (!isMap(mapNode)) continue;
      for (const pair of mapNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const key = keyText(keyNode);
        if (key in out) continue;
        const kPos = keyNode?.range ? ctx.posAt(keyNode.range[0]) : start;
        out[key] = toPlain(pair.value as YamlNode | null, childKey(path, key), ctx, kPos);
      }
    }
    return out;
  }
  if (isSeq(target)) {
    return target.items.map((item, i) => toPlain(item as YamlNode, childKey(path, i), ctx, undefined));
  }
  return null;
}
