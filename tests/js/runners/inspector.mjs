// The inspector page (www/) in headless Chromium, served by the collector under its CSP: a
// recorded agents-core run and a hostile trace are POSTed to the collector, the page opens them
// (?src=/v1/traces.jsonl) and follows the live stream (&live); checks the list, the waterfall,
// the details, the rollups, a trace arriving live, and that nothing from the hostile trace runs
// or becomes markup. Saves a screenshot to target/screenshots/inspector.png. Prints
// "inspector: N passed, M failed".
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startCollector } from '../../../pkg/bin/collector.mjs';
import { withTimeout } from './timeout.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = readFileSync(path.join(root, 'tests/fixtures/agents-core-run.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));

const HOSTILE_TRACE = `trace_${'e'.repeat(32)}`;
const hostile = [
  { object: 'trace', id: HOSTILE_TRACE, workflow_name: '<img src=x onerror="globalThis.pwned=1">', group_id: 'javascript:globalThis.pwned=2', metadata: {} },
  {
    object: 'trace.span', id: `span_${'e'.repeat(24)}`, trace_id: HOSTILE_TRACE, parent_id: null,
    started_at: '2026-12-01T10:00:00.000Z', ended_at: '2026-12-01T10:00:01.000Z',
    span_data: { type: 'function', name: '<script>globalThis.pwned=3</script>', input: `<a href="javascript:globalThis.pwned=4">x</a>${'y'.repeat(200_000)}`, output: '<b onmouseover="globalThis.pwned=5">b</b>' },
    error: { message: '<svg onload="globalThis.pwned=6">', data: { html: '<iframe src="javascript:alert(1)">' } },
  },
];

const results = [];
function check(name, ok, detail = '') {
  results.push(ok);
  if (!ok) console.log(`FAIL inspector: ${name}${detail ? `\n  ${detail}` : ''}`);
}

async function post(url, items) {
  const response = await fetch(`${url}/v1/traces/ingest`, { method: 'POST', body: JSON.stringify({ data: items }), headers: { 'content-type': 'application/json' } });
  if (response.status !== 200) throw new Error(`POST: HTTP ${response.status} ${await response.text()}`);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-inspector-'));
const collector = await startCollector({ port: 0, dataDir, wwwDir: path.join(root, 'www') });
let browser;
try {
  await post(collector.url, fixture);
  await post(collector.url, hostile);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => { problems.push(`a dialog opened: ${dialog.message()}`); void dialog.dismiss(); });
  page.on('console', (message) => { if (/Content.Security.Policy|Refused/i.test(message.text())) problems.push(`CSP: ${message.text()}`); });
  await withTimeout(page.goto(`${collector.url}/www/?src=/v1/traces.jsonl&live`), 15_000, 'open the page');
  await withTimeout(page.waitForFunction(() => globalThis.edgetraceInspector?.ready && document.querySelectorAll('#traces tbody tr').length >= 3), 15_000, 'the list');

  const listed = await page.$$eval('#traces tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  check('the list has the two recorded runs and the hostile trace', listed.length === 3, JSON.stringify(listed));
  const run = listed.find((cells) => cells[1] === 'Customer support' && cells[8] === '1');
  check('a run shows its workflow, group, spans, tokens, cost and errors', run !== undefined && run[2] === 'conv-order-A-1001' && run[5] === '13' && run[6] === '1702 / 106' && run[7] === '$0.004675', JSON.stringify(run));
  check('hostile text is shown as text', listed.some((cells) => cells[1] === '<img src=x onerror="globalThis.pwned=1">' && cells[2] === 'javascript:globalThis.pwned=2'));

  const count = () => page.$$eval('#traces tbody tr', (trs) => trs.length);
  await page.fill('#search', 'a-1001');
  check('search finds traces by a value inside span data', (await count()) === 2, String(await count()));
  await page.fill('#search', '');
  await page.check('#errors-only');
  const errorsOnly = await count();
  await page.uncheck('#errors-only');
  await page.selectOption('#workflow', 'Customer support');
  const byWorkflow = await count();
  await page.selectOption('#workflow', '');
  await page.fill('#since', '2026-12-02T00:00:00');
  const since = await count();
  await page.fill('#since', '');
  check('filters: errors only, a workflow, a time range', errorsOnly === 2 && byWorkflow === 2 && since === 2, `${errorsOnly} ${byWorkflow} ${since}`);
  await page.check('#by-group');
  const groups = await page.$$eval('#traces tbody tr.group-row', (trs) => trs.map((tr) => tr.textContent));
  check('grouping by conversation', groups.includes('conv-order-A-1001: 2 traces'), groups.join(' | '));
  await page.uncheck('#by-group');

  await page.click('#traces tbody tr:has(td.error)');
  await page.waitForSelector('#rows .row');
  const rows = await page.$$eval('#rows .row .label', (labels) => labels.map((l) => l.textContent));
  check('the waterfall rows are the span tree', rows[0] === 'task Customer support' && rows.includes('function check_refund') && rows.length === 13, JSON.stringify(rows));
  const summary = await page.textContent('#summary');
  check('the rollups: usage counted once, the cost, the handoff chain, the critical path',
    summary.includes('1702 in (512 cached) / 106 out') && summary.includes('$0.004675') && summary.includes('handoffs: triage → billing') && summary.includes('critical path: task Customer support → agent billing'), summary);
  const critical = await page.$$eval('#rows .row.critical .label', (labels) => labels.map((l) => l.textContent));
  check('the critical path is highlighted', critical.join('|') === 'task Customer support|agent billing|turn 3 billing|generation gpt-4o', critical.join('|'));
  await page.click('#rows .row:has-text("function check_refund")');
  const details = await page.textContent('#details');
  check('the details show the span, its error and data', details.includes('check_refund') && details.includes('Error running tool') && details.includes('span_data'), details.slice(0, 300));
  await page.focus('#waterfall');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  const afterKeys = await page.textContent('#rows .row.selected .label');
  check('keyboard navigation moves through the tree', afterKeys === 'agent triage', afterKeys);
  mkdirSync(path.join(root, 'target/screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'target/screenshots/inspector.png') });

  const boxes = await page.$$('#traces tbody tr:has-text("Customer support") input[type=checkbox]');
  for (const box of boxes) await box.check();
  await page.click('#compare');
  const compared = await page.$$eval('#compare-pane tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  check('two traces compare side by side, spans aligned by their path', compared.includes('task Customer support / agent triage / turn 1 triage / generation gpt-4o') && compared.includes('task Customer support / agent billing'), compared.slice(0, 6).join(' | '));

  await page.click(`#traces tbody tr[data-trace-id="${HOSTILE_TRACE}"]`);
  await page.waitForSelector('#rows .row');
  await page.click('#rows .row');
  const hostileDetails = await page.textContent('#details');
  const markup = await page.evaluate(() => document.querySelectorAll('#details script, #details img, #details svg, #details iframe, #details a, #traces a, #rows img').length);
  check('nothing from the hostile trace executes or becomes markup', (await page.evaluate(() => globalThis.pwned)) === undefined && markup === 0 && hostileDetails.includes('<svg onload'), `pwned ${await page.evaluate(() => globalThis.pwned)}, ${markup} elements`);

  // The first recorded run under new ids (`prefix`: 4 hex digits), as another trace.
  const renamed = (prefix) => fixture.filter((i) => i.trace_id === fixture[0].id || i.id === fixture[0].id).map((i) => ({ ...i, id: i.id.replace(/^trace_.{4}/, `trace_${prefix}`).replace(/^span_.{4}/, `span_${prefix}`), ...(i.trace_id ? { trace_id: i.trace_id.replace(/^trace_.{4}/, `trace_${prefix}`), parent_id: i.parent_id?.replace(/^span_.{4}/, `span_${prefix}`) ?? null } : {}) }));
  const listLength = () => page.$$eval('#traces tbody tr', (trs) => trs.length);
  const opened = await listLength();
  await page.setInputFiles('#files', { name: 'jq.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ data: renamed('eeee') }, null, 2)) });
  await withTimeout(page.waitForFunction((n) => document.querySelectorAll('#traces tbody tr').length > n, opened), 10_000, 'the pretty-printed file').catch(() => {});
  check('a pretty-printed body (what jq writes) opens from the file picker', (await listLength()) === opened + 1, await page.textContent('#status'));
  const broken = renamed('dddd').map((i) => JSON.stringify(i)).join('\r\n').slice(0, -20);
  await page.setInputFiles('#files', { name: 'broken.jsonl', mimeType: 'application/json', buffer: Buffer.from(`\ufeff${broken}`) });
  await withTimeout(page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('broken.jsonl: line')), 10_000, 'the broken file').catch(() => {});
  check('a broken file is reported by line and byte and adds nothing', (await listLength()) === opened + 1 && /^broken\.jsonl: line \d+ \(byte \d+\): the file ends inside a JSON value$/.test(await page.textContent('#status')), await page.textContent('#status'));

  // Canaries: the recorded run with secrets in every field, through a Redactor (its defaults)
  // into the collector, as an agents-core user's items: none reaches the page's DOM.
  const et = await import('edgetrace');
  const processors = await import('edgetrace/processors');
  const { withCanaries, leaks } = await import('../canaries.mjs');
  et.setTraceProcessors([new processors.ProcessorChain([new processors.Redactor(),
    new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'k', endpoint: `${collector.url}/v1/traces/ingest` }))])]);
  const adapter = processors.agentsCoreProcessor();
  const salted = withCanaries(renamed('cccc'));
  for (const item of salted) {
    if (item.object === 'trace') await adapter.onTraceStart({ toJSON: () => item });
    else await adapter.onSpanEnd({ toJSON: () => item });
  }
  await adapter.onTraceEnd({ traceId: salted[0].id });
  await et.forceFlush();
  et.setTraceProcessors([]);
  const canaryRow = `#traces tbody tr[data-trace-id="${salted[0].id}"]`;
  await withTimeout(page.waitForSelector(canaryRow), 10_000, 'the canary trace').catch(() => {});
  await page.click(canaryRow);
  await page.waitForSelector('#rows .row');
  const seen = [await page.evaluate(() => document.body.innerText)];
  const spanRows = await page.$$eval('#rows .row', (rows) => rows.length);
  for (let i = 0; i < spanRows; i++) {
    await page.click(`#rows .row >> nth=${i}`);
    seen.push(await page.textContent('#details'));
  }
  check('no redaction canary reaches the page\'s DOM (the list, the waterfall, every span\'s details)', spanRows >= 10 && leaks(seen.join('\n')).length === 0,
    `${spanRows} rows; ${leaks(seen.join('\n')).join(' | ')}`);

  const before = await listLength();
  await post(collector.url, renamed('ffff'));
  const grew = await withTimeout(page.waitForFunction((n) => document.querySelectorAll('#traces tbody tr').length > n, before).then(() => true), 10_000, 'a live trace').catch(() => false);
  check('a trace POSTed to the collector appears live', grew);
  check('no page error, dialog or CSP violation', problems.length === 0, problems.join('\n  '));

  // The demo, once: a page opened on it sees the traces of Node, Deno and workerd agents arrive.
  const { spawn } = await import('node:child_process');
  const demo = spawn(process.execPath, ['examples/live-demo.mjs', '--once', '--port', '0', '--delay-ms', '4000'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => demo.once('exit', resolve));
  const url = await withTimeout(new Promise((resolve) => {
    let text = '';
    demo.stdout.on('data', (data) => {
      text += data;
      const found = text.match(/open (http:\/\/\S+)/);
      if (found) resolve(found[1]);
    });
  }), 30_000, 'the demo URL');
  const live = await browser.newPage();
  await live.goto(url);
  const workflows = await withTimeout(live.waitForFunction(() => {
    const names = [...document.querySelectorAll('#traces tbody tr td:nth-child(2)')].map((td) => td.textContent);
    return ['node', 'deno', 'workerd'].every((r) => names.includes(`Support (${r})`)) && names;
  }, null, { timeout: 30_000 }).then((handle) => handle.jsonValue()), 35_000, 'the demo traces').catch((error) => String(error));
  check('the demo: traces from Node, Deno and workerd appear live', Array.isArray(workflows), String(workflows));
  check('the demo run once exits 0', (await withTimeout(exited, 30_000, 'the demo exit')) === 0);
} catch (error) {
  check('the inspector ran', false, error?.stack ?? String(error));
} finally {
  await browser?.close().catch(() => {});
  await collector.close();
  rmSync(dataDir, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
console.log(`inspector: ${passed} passed, ${results.length - passed} failed`);
process.exitCode = results.every(Boolean) ? 0 : 1;
