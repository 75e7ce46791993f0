/**
 * "Example: Web Server": a server whose handler fetches from an API without blocking
 * the other requests.
 *
 * ```python
 * async def fetch_data_from_api(api_url):
 *     async with aiohttp.ClientSession() as session:
 *         async with session.get(api_url) as response:
 *             return await response.json()
 *
 * async def handler(request):
 *     data = await fetch_data_from_api("https://api.example.com/data")
 *     return web.json_response(data)
 *
 * async def main():
 *     app = web.Application()
 *     app.add_routes([web.get('/', handler)])
 *     runner = web.AppRunner(app)
 *     await runner.setup()
 *     site = web.TCPSite(runner, 'localhost', 8080)
 *     await site.start()
 *     print("Server started at http://localhost:8080")
 *     await asyncio.Event().wait() # Keep the server running indefinitely
 * ```
 *
 * The twin uses Node's `http` for the server and `fetch` for the client, on loopback
 * only, with port 0 (any free port). Each request's handler runs as a wasyncio task,
 * and fetches through `until((signal) => fetch(url, { signal }))`. The "API" is a
 * second local server: `/data` answers after 100 ms, `/slow` after 10 s. Instead of
 * serving forever, main plays the clients, then stops both servers:
 *
 * 1. Clients A and B ask at the same time. Their handlers wait for the API side by
 *    side: the API has both requests in flight at once, and the pair takes about
 *    100 ms, not 200.
 * 2. Client C asks for `/slow` and hangs up while its handler waits for the API. The
 *    server cancels the handler's task (`task.cancel("client disconnected")`), which
 *    aborts the `signal` given to the handler's fetch, so the API sees its request
 *    aborted too, instead of working 10 s for nobody. (aiohttp also cancels a handler
 *    whose client went away, by default before 3.9, with `handler_cancellation=True`
 *    since.)
 *
 * Output (the ports change every run):
 *
 * ```
 * API server started at http://127.0.0.1:PORT1 (/data answers in 100 ms, /slow in 10 s)
 * Server started at http://127.0.0.1:PORT2
 * client A got: {'message': 'hello from the API', 'for': 'A'}
 * client B got: {'message': 'hello from the API', 'for': 'B'}
 * API requests in flight at once: 2
 * client C hung up while its handler waited for /slow
 * handler C: cancelled (client disconnected); its fetch's signal aborted: True
 * API server: the request for C was aborted
 * servers stopped
 * ```
 *
 * Time: about 100 ms of real time (the API's latency, paid once for A and B together).
 * In virtual time the loop time stays exactly 0: virtual time skips the loop's own
 * timers, and this program has none; its waits are real network I/O, which the loop
 * waits for (until() holds virtual time back while a promise is pending).
 */
import { EventEmitter, once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CancelledError,
  type Coroutine,
  type EventLoop,
  gather,
  getRunningLoop,
  type Task,
  until,
  wait,
} from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

/** How long the API takes to answer `/data` and `/slow`. */
export const API_LATENCY_MS = { "/data": 100, "/slow": 10_000 } as const;

const HOST = "127.0.0.1";

// ---- the API: a plain Node server standing in for https://api.example.com ----

/**
 * The API server. It answers `GET /data?for=NAME` and `/slow?for=NAME` with JSON after
 * its latency, and reports on `events`: `arrived:NAME` when a request comes in,
 * `aborted:NAME` when its client goes away before the answer.
 */
export class Api {
  readonly events = new EventEmitter();
  readonly server: Server;
  /** The most requests it was working on at the same time. */
  maxInFlight = 0;
  private inFlight = 0;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  get url(): string {
    return urlOf(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    const latency = API_LATENCY_MS[url.pathname as keyof typeof API_LATENCY_MS];
    if (latency === undefined) {
      res.writeHead(404).end();
      return;
    }
    const name = url.searchParams.get("for") ?? "?";
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const timer = setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "hello from the API", for: name }));
    }, latency);
    res.on("close", () => {
      this.inFlight--;
      if (!res.writableFinished) {
        clearTimeout(timer);
        this.events.emit(`aborted:${name}`);
      }
    });
    this.events.emit(`arrived:${name}`);
  }
}

// ---- the app: a Node server whose handlers are wasyncio tasks ----

/** fetch_data_from_api: `signals` (not in the article) collects the fetch's AbortSignal. */
export function* fetchDataFromApi(apiUrl: string, signals: AbortSignal[] = []): Coroutine<unknown> {
  // The body is read under the fetch's signal too, so cancelling stops its download.
  return yield* until(async (signal) => {
    signals.push(signal);
    const response = await fetch(apiUrl, { signal });
    if (!response.ok) throw new Error(`the API answered ${response.status}`);
    return response.json();
  });
}

/**
 * The server of the article: `GET /?name=NAME` and `/slow?name=NAME` run {@link handler}
 * as a task on `loop`, cancelled if the client disconnects before the answer.
 */
export class App {
  readonly server: Server;
  /** Each request's handler task, by the client's name. */
  readonly handlers = new Map<string, Task<void>>();
  /** Each handler's fetch signal, by the client's name. */
  readonly signals = new Map<string, AbortSignal[]>();

  constructor(
    private readonly loop: EventLoop,
    private readonly apiUrl: () => string,
  ) {
    this.server = createServer((req, res) => this.accept(req, res));
  }

  get url(): string {
    return urlOf(this.server);
  }

  /** Called by Node, outside the loop: the handler becomes a task of the loop. */
  private accept(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    const name = url.searchParams.get("name") ?? "?";
    const apiPath = url.pathname === "/slow" ? "/slow" : "/data";
    const signals: AbortSignal[] = [];
    const task = this.loop.createTask(this.handler(name, `${this.apiUrl()}${apiPath}?for=${name}`, signals, res), {
      name: `handler ${name}`,
    });
    this.handlers.set(name, task);
    this.signals.set(name, signals);
    res.on("close", () => {
      if (!res.writableFinished) task.cancel("client disconnected");
    });
  }

  /** handler: fetch from the API, answer with its JSON (web.json_response). */
  private *handler(name: string, apiUrl: string, signals: AbortSignal[], res: ServerResponse): Coroutine<void> {
    try {
      const data = yield* fetchDataFromApi(apiUrl, signals);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    } catch (error) {
      if (error instanceof CancelledError) {
        print(`handler ${name}: cancelled (${error.message}); its fetch's signal aborted:`, signals[0]?.aborted);
        throw error;
      }
      res.writeHead(502).end(String(error));
    }
  }
}

function urlOf(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${HOST}:${port}`;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve());
  });
}

function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections(); // the clients' keep-alive connections too
  });
}

// ---- the clients ----

/** A client: GET `url` and parse the JSON. */
export function* get(url: string): Coroutine<unknown> {
  return yield* until(async (signal) => (await fetch(url, { signal })).json());
}

/** Not in the article: what the tests check. */
export interface WebServerResult {
  apiUrl: string;
  appUrl: string;
  maxInFlight: number;
  /** How client C's request ended on the client side. */
  clientC: string;
  handlerCCancelled: boolean;
  signalCAborted: boolean;
}

export function* main(): Coroutine<WebServerResult> {
  const api = new Api();
  const app = new App(getRunningLoop(), () => api.url);
  try {
    yield* until(listen(api.server));
    yield* until(listen(app.server));
    return yield* clients(api, app);
  } finally {
    yield* until(Promise.all([close(app.server), close(api.server)]));
    print("servers stopped");
  }
}

/** Instead of the article's `await asyncio.Event().wait()` (serving forever): three clients. */
function* clients(api: Api, app: App): Coroutine<WebServerResult> {
  print(`API server started at ${api.url} (/data answers in 100 ms, /slow in 10 s)`);
  print(`Server started at ${app.url}`);

  // Clients A and B at the same time: their handlers wait for the API side by side.
  const [a, b] = yield* gather([get(`${app.url}/?name=A`), get(`${app.url}/?name=B`)]);
  print("client A got:", a);
  print("client B got:", b);
  print("API requests in flight at once:", api.maxInFlight);

  // Client C hangs up while its handler waits for the API's /slow.
  const client = new AbortController();
  const arrived = once(api.events, "arrived:C");
  const apiAborted = once(api.events, "aborted:C");
  const answer = fetch(`${app.url}/slow?name=C`, { signal: client.signal }).then(
    () => "answered",
    (error: Error) => error.name,
  );
  yield* until(arrived); // the handler is waiting for the API now
  client.abort();
  print("client C hung up while its handler waited for /slow");
  const clientC = yield* until(answer);
  const handler = app.handlers.get("C")!;
  yield* wait([handler]); // until the cancelled handler is done (wait never raises)
  yield* until(apiAborted);
  print("API server: the request for C was aborted");

  return {
    apiUrl: api.url,
    appUrl: app.url,
    maxInFlight: api.maxInFlight,
    clientC,
    handlerCCancelled: handler.cancelled(),
    signalCAborted: app.signals.get("C")?.[0]?.aborted ?? false,
  };
}

export const example = coroutineExample({
  name: "web-server",
  title: "A web server whose handlers are tasks, cancelled when the client hangs up",
  article: article.slug,
  section: "Example: Web Server",
  explanation:
    "Node http server, handlers as tasks fetching a local API: A and B overlap (~100 ms real); C hangs up, its handler is cancelled and its fetch aborted.",
  main,
});
