// Redaction canaries: secrets of each kind the Redactor's defaults know, placed in every field a
// real agent run carries (the run @openai/agents-core's Runner recorded in
// tests/fixtures/agents-core-run.jsonl): message contents of every role, tool-call arguments,
// tool outputs, errors and their data, span names, custom data, metadata, the group id; in JSON
// held in strings (one and two levels down), JSON in prose and JSON cut short. `leaks(text)`
// finds any of them in text that left a chain; benign look-alikes must stay (`BENIGN`).

/** One secret per default pattern; every one holds "cnry" (the bearer, AWS and card ones too). */
export const PATTERNED = {
  bearer: 'Bearer cnryBearerToken0123456789',
  openai_key: 'sk-cnryOpenAIKey0123456789ab',
  aws_key: 'AKIACNRY0123456789AB',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJjbnJ5IjoxfQ.cnrySignature0123456789',
  email: 'cnry.person@example.com',
  card: '4111 1111 1111 1111',
};

/** A value only its key gives away (it matches no pattern). */
export const KEYED = 'kv-cnry-7f3a9e';

/** Text that looks like a secret and is not: it must reach the exporter as it was. */
export const BENIGN = ['"max_tokens":512', 'the token count was 12', 'order 4111 1111 1111 1112'];

const ALL_PATTERNED = Object.values(PATTERNED).join(' ');
const STRUCTURAL = new Set(['type', 'sdk_span_type', 'role', 'status', 'id', 'callId', 'model']);

/** Every canary found in `text` (lower-cased search, the card's digits with or without spaces). */
export function leaks(text) {
  const lower = text.toLowerCase();
  const found = [];
  if (lower.includes('cnry')) found.push(`cnry at ...${text.slice(Math.max(0, lower.indexOf('cnry') - 60), lower.indexOf('cnry') + 40)}...`);
  if (text.includes('4111 1111 1111 1111') || text.includes('4111111111111111')) found.push('card 4111 1111 1111 1111');
  return found;
}

function isJsonObjectText(text) {
  if (!/^\s*\{/.test(text)) return false;
  try {
    return JSON.parse(text) !== null;
  } catch {
    return false;
  }
}

/** A string with canaries: JSON objects get a keyed member (and their strings canaries); text
 * gets every patterned secret and a keyed secret in JSON embedded in prose. */
function salted(text) {
  if (isJsonObjectText(text)) return JSON.stringify({ api_key: KEYED, ...saltedValue(JSON.parse(text)) });
  return `${text} (${ALL_PATTERNED}; the tool said {"password": "${KEYED}"} and moved on)`;
}

function saltedValue(value, key) {
  if (typeof value === 'string') return STRUCTURAL.has(key) ? value : salted(value);
  if (Array.isArray(value)) return value.map((item) => saltedValue(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, saltedValue(v, k)]));
  }
  return value;
}

/** Messages an agent run carries secrets in: a tool's JSON result as the next model input,
 * JSON two levels down, JSON cut short, content parts, and benign look-alikes. */
function extraMessages() {
  return [
    { role: 'tool', content: JSON.stringify({ api_key: KEYED, result: 'ok' }) },
    { role: 'tool', content: JSON.stringify({ result: JSON.stringify({ client_secret: KEYED, rows: 2 }) }) },
    { role: 'user', content: `here is what I copied: {"token": "${KEYED}` },
    { role: 'user', content: [{ type: 'input_text', text: `mail ${PATTERNED.email} or call` }] },
    { role: 'assistant', content: `${BENIGN[1]}; ${BENIGN[2]}` },
  ];
}

/** The recorded run's items (objects) with canaries everywhere they can travel. */
export function withCanaries(items) {
  return items.map((item) => {
    if (item.object === 'trace') {
      return {
        ...item,
        group_id: `${item.group_id} ${PATTERNED.email}`,
        metadata: { ...item.metadata, api_key: KEYED, note: ALL_PATTERNED },
      };
    }
    const spanData = saltedValue(item.span_data);
    if (spanData.type === 'generation') {
      spanData.input = [...spanData.input, ...extraMessages()];
      spanData.model_config = { ...spanData.model_config, max_tokens: 512 };
    }
    const error = item.error === null ? null : { message: salted(item.error.message), data: { ...saltedValue(item.error.data), secret: KEYED } };
    return { ...item, span_data: spanData, error };
  });
}
