// A scripted HTTP server on 127.0.0.1 for export fault tests. POST /fault/<steps>/<case id>
// answers its n-th request with the n-th step (the last step repeats):
//   200 | 400 | 500 | ...      that status
//   429ms<N>                   429 with retry-after-ms: N
//   503s<N>                    503 with retry-after: N (seconds)
//   503nr                      503 with x-should-retry: false
//   400r                       400 with x-should-retry: true
//   hang                       no answer until the client gives up
//   slow<N>                    200 after N ms
// GET /received/<case id> returns what each request of that case carried:
//   [{status, headers, body}], where `status` is what the server answered (0: hung up).
import http from 'node:http';

function stepResponse(step) {
  const match = /^(\d{3})(ms|s)?(\d+)?(nr|r)?$/.exec(step);
  if (!match) return null;
  const [, status, unit, amount, advice] = match;
  const headers = {};
  if (unit === 'ms') headers['retry-after-ms'] = amount;
  if (unit === 's') headers['retry-after'] = amount;
  if (advice) headers['x-should-retry'] = advice === 'r' ? 'true' : 'false';
  return { status: Number(status), headers };
}

export async function startFaultServer() {
  const received = new Map();
  const sockets = new Set();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const [, kind, first, second] = url.pathname.split('/');
    if (request.method === 'GET' && kind === 'received') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received.get(first) ?? []));
      return;
    }
    if (request.method !== 'POST' || kind !== 'fault') {
      response.writeHead(404).end();
      return;
    }
    const steps = first.split(',');
    const caseId = second;
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const log = received.get(caseId) ?? [];
      received.set(caseId, log);
      const step = steps[Math.min(log.length, steps.length - 1)];
      const entry = { status: 0, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      log.push(entry);
      if (step === 'hang') return; // the client's timeout ends it
      const slow = /^slow(\d+)$/.exec(step);
      if (slow) {
        setTimeout(() => { entry.status = 200; response.writeHead(200).end(); }, Number(slow[1]));
        return;
      }
      const answer = stepResponse(step) ?? { status: 500, headers: {} };
      entry.status = answer.status;
      response.writeHead(answer.status, answer.headers).end(answer.status >= 400 ? `error ${answer.status}` : '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
