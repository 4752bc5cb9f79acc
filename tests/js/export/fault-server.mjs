// A scripted HTTP server on 127.0.0.1 for export fault tests. POST /fault/<steps>/<case id>
// answers its n-th request with the n-th step (the last step repeats):
//   200 | 400 | 500 | ...      that status
//   429ms<N>                   429 with retry-after-ms: N
//   503s<N>                    503 with retry-after: N (seconds)
//   503<form>+<N>              503 with retry-after: an HTTP date N s from now (whole seconds,
//                              so N-1 to N s ahead), <form> one of imf, rfc850, asctime
//   503nr                      503 with x-should-retry: false
//   400r                       400 with x-should-retry: true
//   hang                       no answer until the client gives up
//   slow<N>                    200 after N ms
//   hold                       200 once the test releases the case (POST /release/<case id>;
//                              requests arriving after that are answered at once)
// GET /received/<case id> returns what each request of that case carried:
//   [{status, headers, body, retryAfter}], where `status` is what the server answered (0: hung
//   up) and `retryAfter` the retry-after header it sent, if any.
import http from 'node:http';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ms` as an HTTP date in one of the three forms of RFC 9110, section 5.6.7. */
function httpDate(form, ms) {
  const date = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  const [day, month, mday, year] = [DAYS[date.getUTCDay()], MONTHS[date.getUTCMonth()], date.getUTCDate(), date.getUTCFullYear()];
  if (form === 'imf') return `${day.slice(0, 3)}, ${two(mday)} ${month} ${year} ${time} GMT`;
  if (form === 'rfc850') return `${day}, ${two(mday)}-${month}-${two(year % 100)} ${time} GMT`;
  return `${day.slice(0, 3)} ${month} ${String(mday).padStart(2, ' ')} ${time} ${year}`; // asctime
}

function stepResponse(step) {
  const dated = /^(\d{3})(imf|rfc850|asctime)\+(\d+)$/.exec(step);
  if (dated) {
    const [, status, form, seconds] = dated;
    return { status: Number(status), headers: { 'retry-after': httpDate(form, Date.now() + Number(seconds) * 1000) } };
  }
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
  // Per case id: the held responses' answer functions, or `true` once the case was released.
  const held = new Map();
  const sockets = new Set();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const [, kind, first, second] = url.pathname.split('/');
    if (request.method === 'GET' && kind === 'received') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received.get(first) ?? []));
      return;
    }
    if (request.method === 'POST' && kind === 'release') {
      const waiting = held.get(first);
      held.set(first, true);
      if (Array.isArray(waiting)) for (const answer of waiting) answer();
      response.writeHead(200).end();
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
      if (step === 'hold') {
        let gone = false; // the client gave up first (aborted): then it is never answered
        response.once('close', () => { gone = true; });
        const answer = () => {
          if (gone) return;
          entry.status = 200;
          response.writeHead(200).end();
        };
        const waiting = held.get(caseId) ?? [];
        if (waiting === true) answer();
        else held.set(caseId, [...waiting, answer]);
        return;
      }
      const slow = /^slow(\d+)$/.exec(step);
      if (slow) {
        setTimeout(() => { entry.status = 200; response.writeHead(200).end(); }, Number(slow[1]));
        return;
      }
      const answer = stepResponse(step) ?? { status: 500, headers: {} };
      entry.status = answer.status;
      entry.retryAfter = answer.headers['retry-after'];
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
