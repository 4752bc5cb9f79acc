// A scripted support run, written with edgetrace's API and the same in every runtime (no model
// calls: a scripted model answers): a triage agent with an input guardrail calls its model, which
// asks for two tools (lookup_order succeeds, check_refund fails), then hands off to billing, whose
// model answers. The trace says which runtime ran it (`metadata.runtime`).

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The scripted model's answers, in call order: output messages and token usage. */
const SCRIPT = [
  { output: [{ type: 'function_call', name: 'lookup_order', arguments: '{"order":"A-1001"}' }, { type: 'function_call', name: 'check_refund', arguments: '{"order":"A-1001"}' }], usage: { input_tokens: 412, output_tokens: 37 } },
  { output: [{ type: 'function_call', name: 'transfer_to_billing', arguments: '{}' }], usage: { input_tokens: 604, output_tokens: 11, input_tokens_details: { cached_tokens: 512 } } },
  { output: [{ role: 'assistant', content: 'Your refund for A-1001 was issued on Monday.' }], usage: { input_tokens: 686, output_tokens: 58 } },
];

/**
 * One traced run. `et` is the edgetrace module; the trace goes to the processors registered.
 * @param {typeof import('edgetrace')} et
 * @param {string} runtime
 */
export async function runSupportAgent(et, runtime) {
  let call = 0;
  /** @param {any} parent @param {string} prompt */
  const model = (parent, prompt) => et.withGenerationSpan(async (span) => {
    const { output, usage } = SCRIPT[call++];
    await sleep(8);
    span.spanData.output = output;
    span.spanData.usage = usage;
    return output;
  }, { data: { model: 'gpt-4o', input: [{ role: 'user', content: prompt }] } }, parent);

  await et.withTrace(`Support (${runtime})`, async (trace) => {
    const triage = et.createAgentSpan({ data: { name: 'triage', tools: ['lookup_order', 'check_refund'], handoffs: ['billing'] } }, trace);
    triage.start();
    await et.withGuardrailSpan(async () => {}, { data: { name: 'no_card_numbers', triggered: false } }, triage);
    await model(triage, 'Where is the refund for order A-1001?');
    await et.withFunctionSpan(async (span) => {
      await sleep(3);
      span.spanData.output = '{"status":"delivered"}';
    }, { data: { name: 'lookup_order', input: '{"order":"A-1001"}' } }, triage);
    const refund = et.createFunctionSpan({ data: { name: 'check_refund', input: '{"order":"A-1001"}' } }, triage);
    refund.start();
    await sleep(5);
    refund.setError({ message: 'refund service unavailable' });
    refund.end();
    await model(triage, 'tool results');
    await et.withHandoffSpan(async () => {}, { data: { from_agent: 'triage', to_agent: 'billing' } }, triage);
    triage.end();
    await et.withAgentSpan(async (billing) => { await model(billing, 'handoff from triage'); }, { data: { name: 'billing', output_type: 'text' } }, trace);
  }, { groupId: `demo-${runtime}`, metadata: { runtime } });
}
