/**
 * Reads the few series `pipectl status` needs out of a worker's GET /metrics (Prometheus's text exposition format):
 * name, labels and value per sample line. Comments and other lines are skipped; a malformed line is ignored (the
 * status table shows what it can, it is not a validator — promtool is).
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;

/** Label pairs `k="v",…` with the format's escapes (\\, \", \n) undone. */
function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('="', i);
    if (eq < 0) return null;
    const key = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\' && j + 1 < text.length) {
        j++;
        value += text[j] === 'n' ? '\n' : text[j];
      } else value += text[j];
    }
    if (j >= text.length) return null;
    labels[key] = value;
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return labels;
}

/** Samples of the series whose names are in `names`. */
export function parsePrometheusText(text: string, names: ReadonlySet<string>): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m || !names.has(m[1]!)) continue;
    const labels = m[3] === undefined ? {} : parseLabels(m[3]);
    if (!labels) continue;
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}
