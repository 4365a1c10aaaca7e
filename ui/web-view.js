// pipectl's web view: polls GET /ui/api/graph and draws source connectors → topics → sink connectors as inline SVG.
// Every name, config value and trace is data from the runtime: it only ever reaches the page through textContent and
// setAttribute, never through innerHTML, so a connector named `<script>…` shows as those characters.
const SVG = 'http://www.w3.org/2000/svg';
const POLL_MS = 1500;
const FORMAT_VERSION = 1;
const NODE_W = 230;
const NODE_H = 46;
const ROW = 66;
const COLUMNS = { source: 20, topic: 360, sink: 700 };

let selected = null; // the name of the connector whose details are shown
let shownDetails = ''; // the JSON of what the details pane shows, so a poll that changes nothing leaves it alone
let lastGraph = null;

/** An element with attributes and text; `text` goes through textContent. */
function el(tag, attrs = {}, text, ns) {
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}
const svg = (tag, attrs, text) => el(tag, attrs, text, SVG);

function rate(n) {
  if (n === null || n === undefined) return null;
  return `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} rec/s`;
}

/** Rows per column, ordered so that edges cross little: topics after their first source, sinks after their first topic. */
function layout(graph) {
  const sources = graph.connectors.filter((c) => c.type !== 'sink');
  const sinks = graph.connectors.filter((c) => c.type === 'sink');
  const topicOrder = [];
  for (const s of sources) for (const t of s.topics) if (!topicOrder.includes(t)) topicOrder.push(t);
  for (const t of graph.topics) if (!topicOrder.includes(t.name)) topicOrder.push(t.name);
  const firstTopic = (c) => Math.min(...c.topics.map((t) => topicOrder.indexOf(t)).filter((i) => i >= 0), Infinity);
  const sinkOrder = [...sinks].sort((a, b) => firstTopic(a) - firstTopic(b));
  const pos = new Map();
  sources.forEach((c, i) => pos.set(`connector:${c.name}`, { x: COLUMNS.source, y: 20 + i * ROW }));
  topicOrder.forEach((t, i) => pos.set(`topic:${t}`, { x: COLUMNS.topic, y: 20 + i * ROW }));
  sinkOrder.forEach((c, i) => pos.set(`connector:${c.name}`, { x: COLUMNS.sink, y: 20 + i * ROW }));
  const rows = Math.max(sources.length, topicOrder.length, sinks.length, 1);
  return { pos, height: 40 + rows * ROW, width: COLUMNS.sink + NODE_W + 20 };
}

function stateLine(c) {
  const failed = c.tasks.filter((t) => t.state === 'FAILED').map((t) => t.id);
  const tasks = `${c.tasks.length} task${c.tasks.length === 1 ? '' : 's'}`;
  if (failed.length > 0 && c.connector.state !== 'FAILED') return `${c.connector.state} · task ${failed.join(', ')} FAILED`;
  return `${c.connector.state} · ${tasks}`;
}

function drawNode(group, kind, name, p, cls, sub, health) {
  const g = svg('g', { class: `node ${cls}`, 'data-kind': kind, 'data-name': name, 'data-health': health, transform: `translate(${p.x},${p.y})` });
  g.append(svg('title', {}, name));
  g.append(svg('rect', { width: NODE_W, height: NODE_H, rx: 6 }));
  g.append(svg('text', { x: 10, y: 19, class: 'name' }, name.length > 30 ? `${name.slice(0, 29)}…` : name));
  g.append(svg('text', { x: 10, y: 36, class: 'sub' }, sub));
  group.append(g);
  return g;
}

function drawEdge(group, from, to, edge) {
  const x1 = from.x + NODE_W;
  const y1 = from.y + NODE_H / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_H / 2;
  const mid = (x1 + x2) / 2;
  const flowing = (edge.recordsPerSecond ?? 0) > 0;
  const g = svg('g', { class: `edge${flowing ? ' flowing' : ''}`, 'data-from': edge.from.name, 'data-to': edge.to.name });
  g.append(svg('path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` }));
  const parts = [rate(edge.recordsPerSecond), edge.lagRecords === null ? null : `lag ${edge.lagRecords}`].filter(Boolean);
  if (parts.length > 0) g.append(svg('text', { x: mid, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle', class: 'edge-label' }, parts.join(' · ')));
  group.append(g);
}

function drawGraph(graph) {
  const root = document.getElementById('graph');
  const { pos, height, width } = layout(graph); // the style sheet scales the drawing to the pane (at most 1:1)
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const edges = svg('g', { class: 'edges' });
  const nodes = svg('g', { class: 'nodes' });
  for (const e of graph.edges) {
    const from = pos.get(`${e.from.kind}:${e.from.name}`);
    const to = pos.get(`${e.to.kind}:${e.to.name}`);
    if (from && to) drawEdge(edges, from, to, e);
  }
  for (const t of graph.topics) {
    drawNode(nodes, 'topic', t.name, pos.get(`topic:${t.name}`), `topic${t.exists ? '' : ' missing'}`, t.exists ? 'topic' : 'topic (not created yet)', null);
  }
  for (const c of graph.connectors) {
    const g = drawNode(nodes, 'connector', c.name, pos.get(`connector:${c.name}`), `connector health-${c.health}${c.name === selected ? ' selected' : ''}`, `${c.type} · ${stateLine(c)}`, c.health);
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', `${c.type} connector ${c.name}, ${c.health}`);
    g.addEventListener('click', () => select(c.name));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') select(c.name);
    });
  }
  root.replaceChildren(edges, nodes);
  document.getElementById('empty').hidden = graph.connectors.length > 0;
}

function table(rows, head) {
  const t = el('table');
  if (head) {
    const tr = el('tr');
    tr.append(...head.map((h) => el('th', {}, h)));
    t.append(tr);
  }
  for (const cells of rows) {
    const tr = el('tr');
    for (const [cls, text] of cells) tr.append(el('td', { class: cls }, text));
    t.append(tr);
  }
  return t;
}

function drawDetails(graph) {
  const pane = document.getElementById('details');
  const c = graph.connectors.find((x) => x.name === selected);
  const key = JSON.stringify([c ?? null, graph.metrics, graph.mode]);
  if (key === shownDetails) return;
  shownDetails = key;
  if (!c) {
    pane.replaceChildren(el('p', { class: 'muted' }, selected === null ? 'Click a connector to see its config, tasks and restarts.' : 'That connector is gone.'));
    return;
  }
  const parts = [
    el('h2', { class: 'connector-name' }, c.name),
    el('p', {}, `${c.type} connector · `),
    el('h3', {}, 'Config (as GET /connectors/{name}/config answers it)'),
    table(Object.entries(c.config).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [['key', k], ['value', v]])),
    el('p', { class: 'muted' }, `Topics from ${c.topicsFrom}: ${c.topics.length > 0 ? c.topics.join(', ') : 'none'}`),
    el('h3', {}, 'Connector and tasks'),
  ];
  parts[1].append(el('span', { class: `badge health-${c.health}` }, c.health));
  const rows = [['connector', c.connector], ...c.tasks.map((t) => [`task ${t.id}`, t])];
  parts.push(table(rows.map(([what, s]) => [['key', what], ['value', s.state], ['value', s.worker_id]]), ['', 'state', 'worker']));
  for (const [what, s] of rows) {
    if (s.trace) parts.push(el('p', {}, `Trace of the ${what}:`), el('pre', { class: 'trace' }, s.trace));
  }
  if (c.restarts !== null) {
    const restarts = Object.entries(c.restarts);
    parts.push(el('h3', {}, 'Restarts (tasks on this worker, since it started)'));
    parts.push(restarts.length === 0 ? el('p', { class: 'muted' }, 'none') : table(restarts.map(([task, n]) => [['key', `task ${task}`], ['value', String(n)]])));
  }
  parts.push(el('h3', {}, 'Last apply'));
  parts.push(
    c.lastApply === null
      ? el('p', { class: 'muted last-apply' }, 'not recorded (this connector was not created by pipectl apply)')
      : el('p', { class: 'last-apply' }, lastApplyText(c.lastApply)),
  );
  pane.replaceChildren(...parts);
}

/** "2026-12-06 03:40:12 UTC by ana@ci from commit a1b2c3d (project shop, config hash …)". */
function lastApplyText(a) {
  const when = a.at === null ? 'at a time not recorded (an older pipectl applied it)' : `${a.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
  const who = a.by === null ? '' : ` by ${a.by}`;
  const commit = a.commit === null ? ', not from a Git commit' : ` from commit ${a.commit.slice(0, 12)}${a.commit.endsWith('-dirty') ? ' with uncommitted changes' : ''}`;
  return `${when}${who}${commit} (project ${a.owner ?? '(none)'}, config hash ${a.appliedHash ?? '(none)'})`;
}

function select(name) {
  selected = name;
  if (lastGraph) render(lastGraph);
}

function render(graph) {
  lastGraph = graph;
  document.getElementById('worker').textContent = `${graph.mode} worker ${graph.workerId}`;
  document.getElementById('metrics-scope').textContent =
    graph.metrics === 'off'
      ? 'rates and lag: off on this worker (metrics.prometheus.enable=false)'
      : graph.mode === 'distributed'
        ? "rates and lag from this worker's tasks only: other workers' tasks are not counted"
        : 'rates and lag from this worker';
  drawGraph(graph);
  drawDetails(graph);
}

async function poll() {
  const updated = document.getElementById('updated');
  try {
    const res = await fetch('/ui/api/graph', { cache: 'no-store' });
    if (!res.ok) throw new Error(`GET /ui/api/graph answered ${res.status}`);
    const graph = await res.json();
    if (graph.version !== FORMAT_VERSION) throw new Error(`the worker answers graph version ${graph.version}, this page reads ${FORMAT_VERSION}: reload`);
    render(graph);
    updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    updated.className = 'muted';
  } catch (e) {
    updated.textContent = `not updated: ${e.message}`;
    updated.className = 'stale';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

void poll();
