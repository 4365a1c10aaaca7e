/**
 * Connect's `plugin.path` for pipectl: loads connector plugins from folders of ES modules. In each folder, every
 * `*.js` / `*.mjs` file is imported, and so is the entry point of each immediate subfolder that has a package.json
 * (a plugin shipped with its own node_modules). Every exported value that looks like a ConnectorPlugin is registered,
 * through the same register() the composition root's packages go through (Kafka Connect discovers plugins the same
 * way). Failures are returned, never thrown or printed, so the worker can log them and carry on.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectorPlugin } from './plugin.js';
import { PluginError } from './plugin-error.js';

/** Where loaded connectors go (a PluginRegistry is one); register() throws for a class already registered. */
export interface ConnectorRegistrar {
  register(plugin: ConnectorPlugin): void;
}

export interface PluginLoadError {
  /** The folder or module that failed. */
  path: string;
  message: string;
  cause: unknown;
}

export interface PluginPathResult {
  /** Plugins registered, with the module they came from, in load order. */
  loaded: { className: string; path: string }[];
  errors: PluginLoadError[];
}

/** True for an object with a className, a kind of source or sink, and createConnector/createTask functions. */
export function looksLikeConnectorPlugin(value: unknown): value is Partial<ConnectorPlugin> & Pick<ConnectorPlugin, 'className' | 'kind' | 'createConnector' | 'createTask'> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['className'] === 'string' && (v['kind'] === 'source' || v['kind'] === 'sink') && typeof v['createConnector'] === 'function' && typeof v['createTask'] === 'function';
}

/** Fills what a third-party plugin may leave out: no aliases, no config keys, no version, a derived task class. */
function normalise(p: Partial<ConnectorPlugin> & Pick<ConnectorPlugin, 'className' | 'kind' | 'createConnector' | 'createTask'>): ConnectorPlugin {
  return {
    className: p.className,
    aliases: Array.isArray(p.aliases) ? p.aliases : [],
    kind: p.kind,
    version: typeof p.version === 'string' ? p.version : 'undefined',
    configDef: Array.isArray(p.configDef) ? p.configDef : [],
    createConnector: p.createConnector.bind(p),
    taskClassName: typeof p.taskClassName === 'string' ? p.taskClassName : `${p.className.replace(/Connector$/, '')}Task`,
    createTask: p.createTask.bind(p),
  };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The module a plugin subfolder exposes: package.json `exports` (string or "."), else `main`, else index.js. */
async function packageEntry(dir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  const pkg = JSON.parse(text) as { exports?: unknown; main?: unknown };
  const exp = pkg.exports;
  const dot = typeof exp === 'object' && exp !== null ? (exp as Record<string, unknown>)['.'] : undefined;
  const pick = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'object' && x !== null ? pick((x as Record<string, unknown>)['import'] ?? (x as Record<string, unknown>)['default']) : undefined);
  return join(dir, pick(exp) ?? pick(dot) ?? (typeof pkg.main === 'string' ? pkg.main : 'index.js'));
}

/** The modules to import from one folder; a subfolder with a broken package.json becomes an error. */
async function modulesIn(dir: string, errors: PluginLoadError[]): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const modules: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if ((e.isFile() || e.isSymbolicLink()) && /\.(m?js)$/.test(e.name)) modules.push(full);
    else if (e.isDirectory()) {
      try {
        const entry = await packageEntry(full);
        if (entry) modules.push(entry);
      } catch (err) {
        errors.push({ path: full, message: `Could not read ${join(full, 'package.json')}: ${message(err)}`, cause: err });
      }
    }
  }
  return modules;
}

/**
 * Imports the plugin modules found in `dirs` (in order; files sorted by name) and registers their connector plugins.
 * Never throws: an unreadable folder, a module that fails to import, or a duplicate class becomes an entry of
 * `errors`. A module that exports no plugin is skipped silently (it may be a helper).
 */
export async function loadPluginPath(registry: ConnectorRegistrar, dirs: readonly string[]): Promise<PluginPathResult> {
  const result: PluginPathResult = { loaded: [], errors: [] };
  for (const dir of dirs) {
    let modules: string[];
    try {
      if (!(await stat(dir)).isDirectory()) throw new PluginError('PIPECTL_PLUGIN_PATH_UNREADABLE', `${dir} is not a directory`);
      modules = await modulesIn(dir, result.errors);
    } catch (e) {
      result.errors.push({ path: dir, message: `Could not read plugin folder ${dir}: ${message(e)}`, cause: e });
      continue;
    }
    for (const path of modules) {
      let exported: Record<string, unknown>;
      try {
        exported = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (e) {
        result.errors.push({ path, message: `Could not load plugin module ${path}: ${message(e)}`, cause: e });
        continue;
      }
      // ES modules: every export. CommonJS modules: also the properties of module.exports (the default export).
      const def = exported['default'];
      const cjs = typeof def === 'object' && def !== null && !looksLikeConnectorPlugin(def) ? Object.values(def) : [];
      for (const value of new Set([...Object.values(exported), ...cjs])) {
        if (!looksLikeConnectorPlugin(value)) continue;
        try {
          registry.register(normalise(value));
          result.loaded.push({ className: value.className, path });
        } catch (e) {
          result.errors.push({ path, message: `Could not register plugin ${value.className} from ${path}: ${message(e)}`, cause: e });
        }
      }
    }
  }
  return result;
}
