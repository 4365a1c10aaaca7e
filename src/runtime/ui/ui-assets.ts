/**
 * The web view's static files: plain HTML, JavaScript and CSS in the package's top-level `ui/` folder (listed in
 * package.json "files"), served as written — no framework, no build step, nothing fetched from elsewhere. Found from
 * this module's own location, which is dist/src/runtime/ui/ both in the repository and in an installed package.
 */
import { readFile } from 'node:fs/promises';
import { InternalError } from '../../diag/internal-error.js';

export const UI_DIR = new URL('../../../../ui/', import.meta.url);

export interface UiAsset {
  contentType: string;
  content: string;
}

/** The files the page is made of, by the name they are served under (/ui/<name>; index.html is /ui itself). */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'web-view.js': 'text/javascript; charset=utf-8',
  'web-view.css': 'text/css; charset=utf-8',
};

export const UI_ASSET_NAMES = Object.keys(ASSETS);

const cache = new Map<string, Promise<UiAsset>>();

/** One asset, read once and kept. Rejects when the file is missing (a broken install), and then reads it again next time. */
export function uiAsset(name: string): Promise<UiAsset> {
  const contentType = ASSETS[name];
  if (contentType === undefined) return Promise.reject(new InternalError(`no web view asset named ${name}: routes serve only UI_ASSET_NAMES`));
  let found = cache.get(name);
  if (!found) {
    found = readFile(new URL(name, UI_DIR), 'utf8').then((content) => ({ contentType, content }));
    found.catch(() => cache.delete(name));
    cache.set(name, found);
  }
  return found;
}
