// @openai/agents-core: the reference the edgetrace API mirrors.

import { agentsApiAdapter, countIngestItems } from './agents-api.mjs';

export default agentsApiAdapter({
  name: 'agents-core',
  specifier: '@openai/agents-core',
  bodyNote: 'BatchTraceProcessor, export(items) + JSON.stringify of toJSON()',
  // The ingest body built in JS, as the OpenAI exporter does (minus its field truncation).
  httpNote: 'BatchTraceProcessor + OpenAITracingExporter from @openai/agents-openai (fetch)',
  httpExporter: async (_lib, endpoint) => {
    const { OpenAITracingExporter } = await import('@openai/agents-openai');
    return new OpenAITracingExporter({ apiKey: 'bench', endpoint, maxRetries: 1 });
  },
  bodyExporter: (counter) => ({
    async export(items) {
      const body = JSON.stringify({ data: items.map((item) => item.toJSON()) });
      counter.addBody(body, countIngestItems);
    },
  }),
});
