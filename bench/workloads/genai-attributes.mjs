// The agent run's span data (agent-run-data.mjs) as OpenTelemetry span attributes, the way GenAI
// instrumentations record it: the GenAI semantic conventions' names where they have one
// (gen_ai.*), openai.agents.* for the Agents SDK's own fields. Numbers, booleans, strings and
// string arrays stay attribute values; message lists and other nested values are JSON-encoded,
// as those conventions do for gen_ai.input.messages. Every field of the agents-core span data
// has an attribute, so all three libraries carry the same data.

export const traceAttributes = (t) => ({
  'gen_ai.conversation.id': t.groupId,
  'openai.agents.trace.metadata': JSON.stringify(t.metadata),
});

export const taskAttributes = () => ({ 'gen_ai.operation.name': 'invoke_workflow' });

export const agentAttributes = (a) => ({
  'gen_ai.operation.name': 'invoke_agent',
  'gen_ai.agent.name': a.name,
  'openai.agents.agent.handoffs': a.handoffs,
  'openai.agents.agent.tools': a.tools,
  'openai.agents.agent.output_type': a.output_type,
});

export const turnAttributes = (turn, agentName) => ({
  'openai.agents.turn': turn,
  'gen_ai.agent.name': agentName,
});

/** A turn's or the task's usage (agents-core TurnUsageData, TaskUsageData). */
export function runnerUsageAttributes(u) {
  const attributes = {
    'gen_ai.usage.input_tokens': u.input_tokens,
    'gen_ai.usage.output_tokens': u.output_tokens,
    'gen_ai.usage.cache_read.input_tokens': u.cached_input_tokens,
    'gen_ai.usage.cache_creation.input_tokens': u.cache_write_input_tokens,
  };
  if (u.requests !== undefined) {
    attributes['openai.usage.requests'] = u.requests;
    attributes['gen_ai.usage.total_tokens'] = u.total_tokens;
  }
  return attributes;
}

/** What is known when the model call starts: the request. */
export function generationAttributes(d) {
  const c = d.model_config;
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': d.model,
    'gen_ai.request.temperature': c.temperature,
    'gen_ai.request.top_p': c.top_p,
    'gen_ai.request.frequency_penalty': c.frequency_penalty,
    'gen_ai.request.presence_penalty': c.presence_penalty,
    'gen_ai.request.max_tokens': c.max_tokens,
    'gen_ai.input.messages': JSON.stringify(d.input),
  };
}

/** What the model call returned: its messages and usage (agents-openai's usage shape). */
export const generationResultAttributes = (output, u) => ({
  'gen_ai.output.messages': JSON.stringify(output),
  'gen_ai.usage.input_tokens': u.input_tokens,
  'gen_ai.usage.output_tokens': u.output_tokens,
  'gen_ai.usage.cache_read.input_tokens': u.input_tokens_details.cached_tokens,
  'gen_ai.usage.reasoning.output_tokens': u.output_tokens_details.reasoning_tokens,
  'gen_ai.usage.total_tokens': u.total_tokens,
  'openai.usage.requests': u.requests,
});

export const toolAttributes = (f) => ({
  'gen_ai.operation.name': 'execute_tool',
  'gen_ai.tool.type': 'function',
  'gen_ai.tool.name': f.name,
  'gen_ai.tool.call.arguments': f.input,
});

export const toolResultAttributes = (output) => ({ 'gen_ai.tool.call.result': output });

export const handoffAttributes = (h) => ({
  'openai.agents.handoff.from_agent': h.from_agent,
  'openai.agents.handoff.to_agent': h.to_agent,
});

export const guardrailAttributes = (g) => ({
  'openai.agents.guardrail.name': g.name,
  'openai.agents.guardrail.triggered': g.triggered,
});

export const responseAttributes = (responseId) => ({ 'gen_ai.response.id': responseId });

export const customAttributes = (c) => ({ 'openai.agents.custom.data': JSON.stringify(c.data) });
