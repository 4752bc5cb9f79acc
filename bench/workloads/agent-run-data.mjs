// The data of one scripted agent run (bench/workloads/agent-run.mjs), in the shapes
// @openai/agents-core 0.20 and @openai/agents-openai put on spans: a customer writes in German
// about an order; the Triage agent calls two tools, then hands off to Billing, whose answer ends
// the run. German, Japanese and an emoji appear in messages and tool output.
//
// Real agents build new data objects for every span (message lists from the run's items, usage
// from the model's response, arguments from its tool calls), so every function here returns
// new objects and arrays, built from object literals; only the strings are shared constants.

export const WORKFLOW = 'Customer support';
const GROUP_ID = 'conv_6f1d2a9e4b7c4c0e';
const MODEL = 'gpt-4o';
export const RESPONSE_ID = 'resp_68c1e0a7b3f48190a2f5d0c4e1b9a6d3';

export const traceOptions = () => ({
  name: WORKFLOW,
  groupId: GROUP_ID,
  metadata: { channel: 'web', locale: 'de-DE' },
});

export const triageAgent = () => ({
  name: 'Triage',
  handoffs: ['Billing'],
  tools: ['lookup_order', 'get_invoice'],
  output_type: 'text',
});

export const billingAgent = () => ({
  name: 'Billing',
  handoffs: [],
  tools: ['issue_refund'],
  output_type: 'RefundDecision',
});

export const handoff = () => ({ from_agent: 'Triage', to_agent: 'Billing' });

/** The Triage agent's input guardrail, which passes. */
export const guardrail = () => ({ name: 'language_check', triggered: false });

/** As agents-openai records `modelSettings` on a generation span. */
const modelConfig = () => ({
  temperature: 0.3,
  top_p: 1,
  frequency_penalty: 0,
  presence_penalty: 0,
  max_tokens: 1024,
});

// --- the conversation ---------------------------------------------------------------------------

const INSTRUCTIONS = {
  Triage: 'You are the triage agent of a web shop\'s support desk. Find the order with lookup_order, '
    + 'check its invoice with get_invoice, and hand off to Billing for payments and refunds. '
    + 'Answer in the customer\'s language.',
  Billing: 'You are the billing agent. You may refund up to 20 € without approval; never promise '
    + 'more than that, explain the next step instead. Answer in the customer\'s language.',
};

const USER_TEXT = 'Hallo! Meine Bestellung A-1042 ist noch nicht angekommen, und die Rechnung zeigt '
  + '49,90 € statt 39,90 €. Können Sie das bitte prüfen? Viele Grüße aus München';

const ANSWER = 'Danke für Ihre Geduld! Die Versandkosten wurden doppelt berechnet: Wir erstatten Ihnen '
  + '10,00 € auf Ihre Karte. Ihre Bestellung (湯呑み, 2 Stück) ist mit DHL unterwegs und kommt '
  + 'voraussichtlich am 14. März an. 📦';

/** The two tool calls of the first model call: what the model asked for and what the tool said. */
const TOOLS = [
  {
    id: 'call_Qm2xT8lookupA1042',
    name: 'lookup_order',
    arguments: '{"order_id":"A-1042"}',
    output: '{"order_id":"A-1042","status":"in_transit","carrier":"DHL","eta":"2026-03-14",'
      + '"items":[{"sku":"MUG-JP-02","name":"湯呑み (Teetasse), 2 Stück","qty":1,"price":"29,90 €"}]}',
  },
  {
    id: 'call_Xk4pR7invoiceA1042',
    name: 'get_invoice',
    arguments: '{"order_id":"A-1042","currency":"EUR"}',
    output: '{"invoice":"R-2026-0815","lines":[{"item":"MUG-JP-02","amount":29.9},'
      + '{"item":"Versand","amount":10},{"item":"Versand","amount":10}],"total":49.9,'
      + '"note":"Versandkosten doppelt berechnet"}',
  },
];

const HANDOFF_CALL = { id: 'call_Hn8vB2transferBilling', name: 'transfer_to_billing', arguments: '{}' };

const toolCall = (call) => ({
  id: call.id,
  type: 'function',
  function: { name: call.name, arguments: call.arguments },
});
const system = (agent) => ({ role: 'system', content: INSTRUCTIONS[agent] });
const user = () => ({ role: 'user', content: USER_TEXT });
const callTools = () => ({ role: 'assistant', content: null, tool_calls: TOOLS.map(toolCall) });
const toolResults = () => TOOLS.map((t) => ({ role: 'tool', tool_call_id: t.id, content: t.output }));
const callHandoff = () => ({ role: 'assistant', content: null, tool_calls: [toolCall(HANDOFF_CALL)] });
const handoffResult = () => ({ role: 'tool', tool_call_id: HANDOFF_CALL.id, content: '{"assistant":"Billing"}' });
const answer = () => ({ role: 'assistant', content: ANSWER });

/**
 * The three model calls, one per turn. Each one's input is the instructions of the agent running
 * it plus the conversation so far, so the message list grows from turn to turn.
 */
const MODEL_CALLS = [
  {
    input: () => [system('Triage'), user()],
    output: () => [callTools()],
    usage: { input: 412, cached: 0, output: 58, reasoning: 0 },
  },
  {
    input: () => [system('Triage'), user(), callTools(), ...toolResults()],
    output: () => [callHandoff()],
    usage: { input: 655, cached: 384, output: 17, reasoning: 0 },
  },
  {
    input: () => [system('Billing'), user(), callTools(), ...toolResults(), callHandoff(), handoffResult()],
    output: () => [answer()],
    usage: { input: 802, cached: 512, output: 96, reasoning: 0 },
  },
];

export const TOOL_COUNT = TOOLS.length;

/** Generation span data known when model call `k` starts (the SDK sets it inside the span). */
export const generationRequest = (k) => ({ model: MODEL, model_config: modelConfig(), input: MODEL_CALLS[k].input() });

export const generationOutput = (k) => MODEL_CALLS[k].output();

/** Usage of model call `k`, shaped as agents-openai's toResponseUsage. */
export function generationUsage(k) {
  const u = MODEL_CALLS[k].usage;
  return {
    requests: 1,
    input_tokens: u.input,
    output_tokens: u.output,
    total_tokens: u.input + u.output,
    input_tokens_details: { cached_tokens: u.cached },
    output_tokens_details: { reasoning_tokens: u.reasoning },
  };
}

/** Tool call `i` of the first model call, as function span data: name and JSON arguments. */
export const toolSpan = (i) => ({ name: TOOLS[i].name, input: TOOLS[i].arguments });
/** What tool `i` returned (JSON), set on its span before it ends. */
export const toolOutput = (i) => TOOLS[i].output;

/** What the runner records on the span of the turn that ran model call `k` when it ends. */
export const turnUsage = (k) => sumUsage([MODEL_CALLS[k]]);

/** What the runner records on the task span when it ends: every model call. */
export function taskUsage() {
  const usage = sumUsage(MODEL_CALLS);
  return { ...usage, requests: MODEL_CALLS.length, total_tokens: usage.input_tokens + usage.output_tokens };
}

// agents-core's TurnUsageData, summed over `calls`.
function sumUsage(calls) {
  const usage = { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cache_write_input_tokens: 0 };
  for (const { usage: u } of calls) {
    usage.input_tokens += u.input;
    usage.output_tokens += u.output;
    usage.cached_input_tokens += u.cached;
  }
  return usage;
}

/** A custom span's data: the Billing agent's refund decision, nested. */
export const customSpan = () => ({
  name: 'refund_decision',
  data: {
    order_id: 'A-1042',
    refund: { amount: 10, currency: 'EUR', reason: 'Versandkosten doppelt berechnet' },
    checks: [
      { rule: 'max_auto_refund', limit: 20, passed: true },
      { rule: 'duplicate_charge', lines: [1, 2], passed: true },
    ],
    approved_by: 'policy',
  },
});
