// The trace inspector: opens exported traces (drop, file picker, ?src= a same-origin URL, or
// live from the collector's event stream), analyses them with edgetrace's own wasm (the same
// parsing and analysis as in every runtime), and shows the list, one trace's waterfall with its
// details, and two traces side by side. Every value from a trace is set as text (textContent),
// never as HTML or a link; the page runs under a CSP with no inline script or style.
import { TraceAnalyzer, TraceFileReader } from 'edgetrace/processors';

const ROW_HEIGHT = 22;
const $ = (id) => document.getElementById(id);

const state = {
  analyzer: new TraceAnalyzer(),
  /** Export items by span id (and trace items by trace id), for the details panel and search. */
  items: new Map(),
  /** Lower-cased JSON text of each trace's items, for search inside span data. */
  haystacks: new Map(),
  analysis: { traces: [], groups: {} },
  selected: null,
  checked: new Set(),
  selectedRow: 0,
};

/** An element with text (never HTML). */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function status(text) {
  $('status').textContent = text;
}

const seconds = (ms) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const cost = (t) => (t.costUsd === null ? 'unknown' : `$${t.costUsd.toFixed(6)}${t.costComplete ? '' : ' + unknown'}`);

function remember(items) {
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const traceId = item.object === 'trace' ? item.id : item.trace_id;
    state.items.set(item.id, item);
    state.haystacks.set(traceId, (state.haystacks.get(traceId) ?? '') + JSON.stringify(item).toLowerCase());
  }
}

function reanalyze() {
  state.analysis = state.analyzer.analyze();
  renderList();
  if (state.selected !== null) {
    const trace = state.analysis.traces.find((t) => t.traceId === state.selected);
    if (trace) showTrace(trace);
  }
}

/** Opens a file's text; errors name the file and are shown, not thrown. */
function openText(name, text) {
  try {
    // The whole file is read before any of it is kept: a file with an error adds nothing.
    const reader = new TraceFileReader(name);
    const items = [...reader.feed(text), ...reader.end()];
    state.analyzer.addItems(items);
    remember(JSON.parse(`[${items.join(',')}]`));
    reanalyze();
    status(`${state.analysis.traces.length} traces`);
  } catch (error) {
    status(error.message.startsWith(`${name}: `) ? error.message : `${name}: ${error.message}`);
  }
}

async function openFiles(files) {
  for (const file of files) openText(file.name, await file.text());
}

// --- the list --------------------------------------------------------------------------------

/** A trace's start and end, ms (first span start, last span end). */
function bounds(trace) {
  const starts = trace.rows.map((r) => r.startedMs).filter((v) => v !== null);
  const ends = trace.rows.map((r) => r.endedMs).filter((v) => v !== null);
  return [starts.length ? Math.min(...starts) : null, ends.length ? Math.max(...ends) : null];
}

/** A datetime-local input's value as ms (UTC, as the list shows times), or null. */
function inputMs(id) {
  const value = $(id).value;
  return value === '' ? null : Date.parse(`${value}Z`);
}

function visibleTraces() {
  const query = $('search').value.trim().toLowerCase();
  const errorsOnly = $('errors-only').checked;
  const workflow = $('workflow').value;
  const [since, until] = [inputMs('since'), inputMs('until')];
  return state.analysis.traces.filter((t) => {
    const [start, end] = bounds(t);
    return (!errorsOnly || t.errors.length > 0)
      && (workflow === '' || t.workflowName === workflow)
      && (since === null || (end !== null && end >= since))
      && (until === null || (start !== null && start < until))
      && (query === '' || (state.haystacks.get(t.traceId) ?? '').includes(query) || (t.workflowName ?? '').toLowerCase().includes(query));
  });
}

/** The workflow filter's choices: every workflow name seen, the current choice kept. */
function renderWorkflows() {
  const select = $('workflow');
  const current = select.value;
  const names = [...new Set(state.analysis.traces.map((t) => t.workflowName).filter((n) => n !== null))].sort();
  const all = el('option', 'all');
  all.value = '';
  select.replaceChildren(all, ...names.map((name) => {
    const option = el('option', name);
    option.value = name;
    return option;
  }));
  select.value = names.includes(current) ? current : '';
}

function traceRow(trace) {
  const row = el('tr');
  row.dataset.traceId = trace.traceId;
  if (trace.traceId === state.selected) row.classList.add('selected');
  const check = el('input');
  check.type = 'checkbox';
  check.checked = state.checked.has(trace.traceId);
  check.setAttribute('aria-label', 'compare');
  check.addEventListener('click', (event) => {
    event.stopPropagation();
    if (check.checked) state.checked.add(trace.traceId);
    else state.checked.delete(trace.traceId);
    $('compare').disabled = state.checked.size !== 2;
  });
  const first = el('td');
  first.append(check);
  const start = trace.rows.find((r) => r.startedMs !== null)?.startedMs;
  const spans = Object.values(trace.spansByType).reduce((a, b) => a + b, 0);
  row.append(first, el('td', trace.workflowName ?? '(trace item missing)'), el('td', trace.groupId ?? ''),
    el('td', start === undefined ? '' : new Date(start).toISOString().replace('T', ' ').slice(0, 19)),
    el('td', seconds(trace.durationMs)), el('td', spans),
    el('td', `${trace.usage.inputTokens} / ${trace.usage.outputTokens}`), el('td', cost(trace)),
    el('td', trace.errors.length || '', trace.errors.length ? 'error' : ''));
  row.addEventListener('click', () => showTrace(trace));
  return row;
}

function renderList() {
  renderWorkflows();
  const body = $('traces').tBodies[0];
  body.replaceChildren();
  const traces = visibleTraces();
  if (!$('by-group').checked) {
    body.append(...traces.map(traceRow));
    return;
  }
  const groups = new Map();
  for (const trace of traces) {
    const key = trace.groupId ?? '(no conversation)';
    groups.set(key, [...(groups.get(key) ?? []), trace]);
  }
  for (const [group, members] of groups) {
    const header = el('tr', undefined, 'group-row');
    const cell = el('td', `${group}: ${members.length} traces`);
    cell.colSpan = 9;
    header.append(cell);
    body.append(header, ...members.map(traceRow));
  }
}

// --- one trace -------------------------------------------------------------------------------

function summary(trace) {
  const box = $('summary');
  box.replaceChildren(
    el('strong', trace.workflowName ?? '(trace item missing)'),
    el('span', `  ${trace.traceId} · ${seconds(trace.durationMs)} · ${trace.usage.inputTokens} in (${trace.usage.cachedInputTokens} cached) / ${trace.usage.outputTokens} out · cost ${cost(trace)}`),
  );
  if (trace.handoffChain.length > 0) box.append(el('div', `handoffs: ${trace.handoffChain.join(' → ')}`, 'chain'));
  if (trace.criticalPath.length > 0) box.append(el('div', `critical path: ${trace.criticalPath.map((s) => `${s.type} ${s.name}`).join(' → ')}`, 'chain'));
}

function showTrace(trace) {
  state.selected = trace.traceId;
  for (const row of $('traces').tBodies[0].rows) row.classList.toggle('selected', row.dataset.traceId === trace.traceId);
  $('trace-pane').hidden = false;
  $('compare-pane').hidden = true;
  summary(trace);
  state.trace = trace;
  state.selectedRow = Math.min(state.selectedRow, trace.rows.length - 1);
  const rows = $('rows');
  rows.style.height = `${trace.rows.length * ROW_HEIGHT}px`;
  const starts = trace.rows.map((r) => r.startedMs).filter((v) => v !== null);
  const ends = trace.rows.map((r) => r.endedMs).filter((v) => v !== null);
  state.span = { start: Math.min(...starts), length: Math.max(1, Math.max(...ends) - Math.min(...starts)) };
  drawRows();
  showDetails(trace.rows[state.selectedRow]);
  state.drawnAt = performance.now();
}

/** Draws only the rows in view (a 10,000-span trace stays cheap). */
function drawRows() {
  const trace = state.trace;
  if (!trace) return;
  const pane = $('waterfall');
  const first = Math.max(0, Math.floor(pane.scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(trace.rows.length, first + Math.ceil(pane.clientHeight / ROW_HEIGHT) + 10);
  const nodes = [];
  for (let i = first; i < last; i++) {
    const row = trace.rows[i];
    const node = el('div', undefined, 'row');
    node.style.top = `${i * ROW_HEIGHT}px`;
    node.setAttribute('role', 'treeitem');
    node.setAttribute('aria-level', String(row.depth + 1));
    if (i === state.selectedRow) node.classList.add('selected');
    if (row.critical) node.classList.add('critical');
    if (row.error !== null) node.classList.add('failed');
    const label = el('span', `${row.type} ${row.name}`, 'label');
    label.style.paddingLeft = `${4 + row.depth * 14}px`;
    const track = el('span', undefined, 'track');
    const bar = el('span', undefined, 'bar');
    if (row.startedMs !== null) {
      bar.style.left = `${((row.startedMs - state.span.start) / state.span.length) * 100}%`;
      bar.style.width = `${(((row.endedMs ?? row.startedMs) - row.startedMs) / state.span.length) * 100}%`;
    }
    bar.title = seconds(row.endedMs === null || row.startedMs === null ? null : row.endedMs - row.startedMs);
    track.append(bar);
    node.append(label, track);
    node.addEventListener('click', () => select(i));
    nodes.push(node);
  }
  $('rows').replaceChildren(...nodes);
}

function select(index) {
  const trace = state.trace;
  state.selectedRow = Math.max(0, Math.min(trace.rows.length - 1, index));
  const pane = $('waterfall');
  const top = state.selectedRow * ROW_HEIGHT;
  if (top < pane.scrollTop) pane.scrollTop = top;
  else if (top + ROW_HEIGHT > pane.scrollTop + pane.clientHeight) pane.scrollTop = top + ROW_HEIGHT - pane.clientHeight;
  drawRows();
  showDetails(trace.rows[state.selectedRow]);
}

/** A JSON value as collapsible text; objects and arrays are built only when opened. */
function jsonNode(value, key) {
  const prefix = key === undefined ? '' : `${key}: `;
  if (value === null || typeof value !== 'object') return el('div', `${prefix}${JSON.stringify(value)}`);
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const box = el('details');
  box.append(el('summary', `${prefix}${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}`));
  box.addEventListener('toggle', () => {
    if (box.open && box.childElementCount === 1) box.append(...entries.map(([k, v]) => jsonNode(v, k)));
  }, { once: false });
  if (JSON.stringify(value).length < 2_000) box.open = true;
  return box;
}

function showDetails(row) {
  const panel = $('details');
  if (!row) {
    panel.replaceChildren();
    return;
  }
  const item = state.items.get(row.spanId);
  const list = el('dl');
  const add = (term, value) => list.append(el('dt', term), el('dd', value));
  add('type', row.type);
  add('name', row.name);
  add('span', row.spanId);
  add('duration', seconds(row.endedMs === null || row.startedMs === null ? null : row.endedMs - row.startedMs));
  if (row.usage) add('usage', `${row.usage.inputTokens} in (${row.usage.cachedInputTokens} cached) / ${row.usage.outputTokens} out`);
  if (row.error !== null) add('error', row.error);
  const data = el('div', undefined, 'json');
  if (item) data.append(jsonNode(item.span_data, 'span_data'), ...(item.error ? [jsonNode(item.error, 'error')] : []));
  panel.replaceChildren(list, data);
}

// --- two traces ------------------------------------------------------------------------------

/** Each row's path in its tree (`agent Triage/turn 1 triage/…`), numbered when repeated. */
function paths(trace) {
  const out = new Map();
  const byId = new Map(trace.rows.map((r) => [r.spanId, r]));
  for (const row of trace.rows) {
    const parts = [];
    for (let r = row; r; r = r.parentId ? byId.get(r.parentId) : undefined) parts.unshift(`${r.type} ${r.name}`);
    let path = parts.join(' / ');
    for (let n = 2; out.has(path); n++) path = `${parts.join(' / ')} #${n}`;
    out.set(path, row);
  }
  return out;
}

function compare() {
  const [a, b] = [...state.checked].map((id) => state.analysis.traces.find((t) => t.traceId === id));
  if (!a || !b) return;
  const [pa, pb] = [paths(a), paths(b)];
  const table = el('table');
  const head = el('tr');
  for (const title of ['span (path in the tree)', 'A', 'B', 'Δ duration', 'Δ tokens']) head.append(el('th', title));
  table.append(head);
  const ms = (r) => (r && r.startedMs !== null && r.endedMs !== null ? r.endedMs - r.startedMs : null);
  const tokens = (r) => (r?.usage ? r.usage.inputTokens + r.usage.outputTokens : 0);
  for (const path of new Set([...pa.keys(), ...pb.keys()])) {
    const [ra, rb] = [pa.get(path), pb.get(path)];
    const delta = ms(ra) !== null && ms(rb) !== null ? ms(rb) - ms(ra) : null;
    const row = el('tr');
    row.append(el('td', path), el('td', ra ? seconds(ms(ra)) : '—'), el('td', rb ? seconds(ms(rb)) : '—'),
      el('td', delta === null ? '' : `${delta >= 0 ? '+' : ''}${delta} ms`, delta > 0 ? 'slower' : delta < 0 ? 'faster' : ''),
      el('td', String(tokens(rb) - tokens(ra))));
    table.append(row);
  }
  const pane = $('compare-pane');
  pane.replaceChildren(el('h2', `${a.workflowName} (A) vs ${b.workflowName} (B)`), table);
  pane.hidden = false;
  $('trace-pane').hidden = true;
}

// --- wiring ----------------------------------------------------------------------------------

$('files').addEventListener('change', (event) => openFiles(event.target.files));
for (const id of ['search', 'errors-only', 'by-group', 'workflow', 'since', 'until']) $(id).addEventListener('input', renderList);
$('compare').addEventListener('click', compare);
$('waterfall').addEventListener('scroll', drawRows);
$('waterfall').addEventListener('keydown', (event) => {
  const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 };
  if (event.key in moves && state.trace) {
    event.preventDefault();
    select(state.selectedRow + moves[event.key]);
  } else if (event.key === 'Home' && state.trace) select(0);
  else if (event.key === 'End' && state.trace) select(state.trace.rows.length - 1);
});
window.addEventListener('dragover', (event) => {
  event.preventDefault();
  $('drop').hidden = false;
});
window.addEventListener('dragleave', () => { $('drop').hidden = true; });
window.addEventListener('drop', (event) => {
  event.preventDefault();
  $('drop').hidden = true;
  openFiles(event.dataTransfer.files);
});

const params = new URLSearchParams(location.search);
const source = params.get('src');
if (source !== null) {
  const url = new URL(source, location.href);
  if (url.origin !== location.origin) status(`?src= must be a same-origin URL, not ${url.origin}`);
  else {
    const response = await fetch(url);
    if (response.ok) openText(url.pathname, await response.text());
    else status(`${url.pathname}: HTTP ${response.status}`);
  }
}
// ?open=first shows the first trace at once (what `make bench` times: open to drawn).
if (params.get('open') === 'first' && state.analysis.traces.length > 0) showTrace(state.analysis.traces[0]);
if (params.has('live')) {
  const events = new EventSource('/v1/events');
  let pending = null;
  events.addEventListener('items', (event) => {
    const items = JSON.parse(event.data);
    state.analyzer.addItems(items);
    remember(items);
    pending ??= setTimeout(() => {
      pending = null;
      reanalyze();
      status(`${state.analysis.traces.length} traces (live)`);
    }, 100);
  });
}
globalThis.edgetraceInspector = { state, ready: true };
