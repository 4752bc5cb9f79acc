// The agent-run workload (modes agent, agent-body): one trace is one scripted agent run, shaped
// as @openai/agents-core 0.20's runner traces it, with the data of agent-run-data.mjs:
//
//   trace "Customer support" (group id, metadata)
//     task "Customer support"                     usage set when it ends
//       agent Triage                              handoffs, tools, output_type
//         guardrail language_check                triggered: false
//         turn 1                                  usage set when it ends
//           generation gpt-4o                     input: 2 messages; output: 2 tool calls
//           function lookup_order                 JSON arguments; JSON output set before end
//           function get_invoice
//         turn 2
//           generation gpt-4o                     input: 5 messages; output: a handoff call
//           handoff Triage -> Billing
//       agent Billing
//         turn 3
//           generation gpt-4o                     input: 7 messages; output: the answer
//           response                              response_id set before end
//         custom refund_decision                  nested data
//
// 15 spans: 16 exported items per trace with the trace item. Generation spans get model,
// model_config and input when created, output and usage before they end, as agents-openai sets
// them. OpenTelemetry records the same run as 16 spans (a root for the trace), the same data in
// attributes (genai-attributes.mjs), request attributes at start and results before end.

import {
  WORKFLOW,
  RESPONSE_ID,
  TOOL_COUNT,
  traceOptions,
  triageAgent,
  billingAgent,
  guardrail,
  handoff,
  generationRequest,
  generationOutput,
  generationUsage,
  toolSpan,
  toolOutput,
  turnUsage,
  taskUsage,
  customSpan,
} from './agent-run-data.mjs';
import * as attr from './genai-attributes.mjs';

export default {
  name: 'agent run',
  summary: 'one agent run: task, 2 agents, 3 turns, 3 generations with growing message lists, '
    + '2 tool calls, handoff, guardrail, response, custom (German, Japanese, an emoji)',
  /** Exported items per trace: the trace item and 15 spans (OTel: the root span and 15). */
  itemsPerTrace: 16,

  /** One run through the @openai/agents-core API (agents-core and edgetrace), parents explicit. */
  async agentsTrace(lib, provider) {
    const trace = provider.createTrace(traceOptions());
    await trace.start();
    const task = started(lib.createTaskSpan({ data: { name: WORKFLOW } }, trace));

    const triage = started(lib.createAgentSpan({ data: triageAgent() }, task));
    started(lib.createGuardrailSpan({ data: guardrail() }, triage)).end();
    const turn1 = started(lib.createTurnSpan({ data: { turn: 1, agent_name: 'Triage' } }, triage));
    agentsGeneration(lib, turn1, 0);
    for (let i = 0; i < TOOL_COUNT; i++) {
      const tool = started(lib.createFunctionSpan({ data: toolSpan(i) }, turn1));
      tool.spanData.output = toolOutput(i);
      tool.end();
    }
    endTurn(turn1, 0);
    const turn2 = started(lib.createTurnSpan({ data: { turn: 2, agent_name: 'Triage' } }, triage));
    agentsGeneration(lib, turn2, 1);
    started(lib.createHandoffSpan({ data: handoff() }, turn2)).end();
    endTurn(turn2, 1);
    triage.end();

    const billing = started(lib.createAgentSpan({ data: billingAgent() }, task));
    const turn3 = started(lib.createTurnSpan({ data: { turn: 3, agent_name: 'Billing' } }, billing));
    agentsGeneration(lib, turn3, 2);
    // agents-core 0.20's createResponseSpan drops its options; the SDK sets the id in the span.
    const response = started(lib.createResponseSpan({}, turn3));
    response.spanData.response_id = RESPONSE_ID;
    response.end();
    endTurn(turn3, 2);
    started(lib.createCustomSpan({ data: customSpan() }, billing)).end();
    billing.end();

    task.spanData.usage = taskUsage();
    task.end();
    await trace.end();
  },

  /** The same run through OpenTelemetry: one span per agents-core span, plus a root for the trace. */
  otelTrace(api, tracer) {
    const child = (parent, name, attributes) =>
      tracer.startSpan(name, { attributes }, api.trace.setSpan(api.ROOT_CONTEXT, parent));
    const options = traceOptions();
    const root = tracer.startSpan(options.name, { attributes: attr.traceAttributes(options) });
    const task = child(root, WORKFLOW, attr.taskAttributes());

    const triageData = triageAgent();
    const triage = child(task, `invoke_agent ${triageData.name}`, attr.agentAttributes(triageData));
    const guardrailData = guardrail();
    child(triage, `guardrail ${guardrailData.name}`, attr.guardrailAttributes(guardrailData)).end();
    const turn1 = child(triage, 'turn 1', attr.turnAttributes(1, 'Triage'));
    otelGeneration(child, turn1, 0);
    for (let i = 0; i < TOOL_COUNT; i++) {
      const data = toolSpan(i);
      const tool = child(turn1, `execute_tool ${data.name}`, attr.toolAttributes(data));
      tool.setAttributes(attr.toolResultAttributes(toolOutput(i)));
      tool.end();
    }
    otelEndTurn(turn1, 0);
    const turn2 = child(triage, 'turn 2', attr.turnAttributes(2, 'Triage'));
    otelGeneration(child, turn2, 1);
    child(turn2, 'handoff', attr.handoffAttributes(handoff())).end();
    otelEndTurn(turn2, 1);
    triage.end();

    const billingData = billingAgent();
    const billing = child(task, `invoke_agent ${billingData.name}`, attr.agentAttributes(billingData));
    const turn3 = child(billing, 'turn 3', attr.turnAttributes(3, 'Billing'));
    otelGeneration(child, turn3, 2);
    const response = child(turn3, 'response', {});
    response.setAttributes(attr.responseAttributes(RESPONSE_ID));
    response.end();
    otelEndTurn(turn3, 2);
    const custom = customSpan();
    child(billing, custom.name, attr.customAttributes(custom)).end();
    billing.end();

    task.setAttributes(attr.runnerUsageAttributes(taskUsage()));
    task.end();
    root.end();
  },
};

function started(span) {
  span.start();
  return span;
}

// Model call `k` under `parent`: request data at creation, output and usage before the end.
function agentsGeneration(lib, parent, k) {
  const span = started(lib.createGenerationSpan({ data: generationRequest(k) }, parent));
  span.spanData.output = generationOutput(k);
  span.spanData.usage = generationUsage(k);
  span.end();
}

function endTurn(span, k) {
  span.spanData.usage = turnUsage(k);
  span.end();
}

function otelGeneration(child, parent, k) {
  const request = generationRequest(k);
  const span = child(parent, `chat ${request.model}`, attr.generationAttributes(request));
  span.setAttributes(attr.generationResultAttributes(generationOutput(k), generationUsage(k)));
  span.end();
}

function otelEndTurn(span, k) {
  span.setAttributes(attr.runnerUsageAttributes(turnUsage(k)));
  span.end();
}
