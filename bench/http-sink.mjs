// The HTTP sink for the `http` mode: a server on 127.0.0.1 (run as a child process, so receiving
// does not run on the measured process's clock) that answers every POST with 200 and discards
// the body after counting it. POST /<library> counts requests, bytes and items (ingest
// `{"data":[...]}` or OTLP `resourceSpans`); GET /stats/<library> returns the counts since the
// last GET and resets them. Prints its URL on stdout, then serves until stdin closes.
import http from 'node:http';

const counts = new Map();

function itemsOf(text) {
  const body = JSON.parse(text);
  if (Array.isArray(body.data)) return body.data.length;
  let spans = 0;
  for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) spans += scope.spans.length;
  return spans;
}

const server = http.createServer((request, response) => {
  const name = request.url.split('/').filter(Boolean).at(-1);
  if (request.method === 'GET' && request.url.startsWith('/stats/')) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts.get(name) ?? { requests: 0, bytes: 0, items: 0 }));
    counts.delete(name);
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    // Answer first: parsing to count items is the sink's work, not the exporter's. It runs before
    // this process reads its next request (setImmediate precedes the next poll), so a stats query
    // sent after the answer arrives sees the count.
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    setImmediate(() => {
      const body = Buffer.concat(chunks);
      const entry = counts.get(name) ?? { requests: 0, bytes: 0, items: 0 };
      entry.requests += 1;
      entry.bytes += body.length;
      entry.items += itemsOf(body.toString('utf8'));
      counts.set(name, entry);
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
