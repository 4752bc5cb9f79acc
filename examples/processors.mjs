// Two tenants' agent runs in one process through one processor chain (no network): the
// compliance log records every run, tail sampling keeps the failing and the slow run and drops
// the plain one, redaction removes the secrets and emails they carry, the router sends each
// tenant's items to its own exporter, and the alerts and error groups come out beside them. Prints what each tenant's
// exporter received, then the rest.
import { withTrace, withAgentSpan, withFunctionSpan, withGenerationSpan, BatchTraceProcessor, setTraceProcessors, forceFlush } from 'edgetrace';
import { ProcessorChain, TailSampler, Redactor, ErrorTracker, PerfAlerts, ComplianceLog, Router } from 'edgetrace/processors';

/** @type {Record<string, any[]>} */
const received = { acme: [], globex: [] };
/** @param {'acme' | 'globex'} tenant */
const exporterOf = (tenant) => new BatchTraceProcessor({
  async export(items) { for (const item of items) received[tenant].push(item.toJSON()); },
});
/** @type {import('edgetrace/processors').PerfAlert[]} */
const alerts = [];
/** @type {import('edgetrace/processors').ComplianceRecord[]} */
const audit = [];
const errors = new ErrorTracker();
const sampler = new TailSampler({ ratio: 0, keepErrors: true, slowerThanMs: 40 });
const redactor = new Redactor({ keys: ['ssn'] });

setTraceProcessors([new ProcessorChain([
  // First, so it records every run, the ones the sampler drops too (it copies only these keys).
  new ComplianceLog({ keys: ['tenant', 'user_id'], sink: (records) => { audit.push(...records); } }),
  sampler,
  redactor,
  errors,
  new PerfAlerts({ rules: [{ spanType: 'function', thresholdMs: 30 }], onAlert: (alert) => { alerts.push(alert); } }),
  new Router({ byMetadata: 'tenant', routes: { acme: exporterOf('acme'), globex: exporterOf('globex') } }),
])]);

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One support run: a model call, then a tool that takes `toolMs` and fails when `fail`.
 * @param {{tenant: string, user: string, toolMs: number, fail?: boolean}} run
 */
async function supportRun({ tenant, user, toolMs, fail = false }) {
  await withTrace(`Support (${tenant})`, () => withAgentSpan(async () => {
    await withGenerationSpan(async (span) => {
      span.spanData.output = [{ role: 'assistant', content: 'call crm_lookup' }];
    }, { data: { model: 'gpt-5-mini', input: [{ role: 'user', content: `I am ${user}@example.com, key sk-proj-${'x'.repeat(24)}` }] } });
    await withFunctionSpan(async (span) => {
      await sleep(toolMs);
      if (fail) span.setError({ message: `CRM refused ${user}@example.com`, data: { authorization: 'Bearer abc.def' } });
      span.spanData.output = '{"status":"ok"}';
    }, { data: { name: 'crm_lookup', input: JSON.stringify({ email: `${user}@example.com`, ssn: '078-05-1120' }) } });
  }, { data: { name: 'Support' } }), { metadata: { tenant, user_id: user } });
}

await supportRun({ tenant: 'acme', user: 'ann', toolMs: 1, fail: true }); // kept: an error
await supportRun({ tenant: 'globex', user: 'bob', toolMs: 60 });          // kept: slow
await supportRun({ tenant: 'globex', user: 'cy', toolMs: 1 });            // dropped by the sampler
await forceFlush();

for (const [tenant, items] of Object.entries(received)) {
  console.log(`\n${tenant}'s exporter received ${items.length} items:`);
  for (const item of items) {
    const what = item.object === 'trace' ? `trace "${item.workflow_name}" metadata=${JSON.stringify(item.metadata)}` : `${item.span_data.type} ${JSON.stringify(item.span_data.input ?? item.span_data.name)}${item.error ? ` error=${JSON.stringify(item.error)}` : ''}`;
    console.log(`  ${what}`);
  }
}
console.log('\nalerts:', alerts.map((a) => `${a.spanType} ${a.name} took ${a.durationMs} ms (> ${a.thresholdMs})`));
console.log('error groups:', errors.groups().map((g) => `${g.type} ${g.name}: ${g.count}, last "${g.lastMessage}"`));
console.log('compliance records:', audit.map((r) => `${r.who.tenant}/${r.who.user_id}: ${r.spans} spans, ${r.errors} errors`));
console.log('sampler:', sampler.stats());
console.log('redactor:', redactor.stats());
