// The language of record.py, run on wasyncio: each operation here is the TypeScript twin
// of the one in record.py's run_ops, and logs the same line, so a program's trace can be
// compared with the one CPython's asyncio recorded.
import {
  aiter,
  asCompleted,
  Barrier,
  BoundedSemaphore,
  BrokenBarrierError,
  CancelledError,
  Condition,
  Context,
  ContextVar,
  type Coroutine,
  createTask,
  currentTask,
  emit,
  Event,
  forAwait,
  type EventLoop,
  ExceptionGroup,
  type Future,
  gather,
  GeneratorExit,
  InvalidStateError,
  getRunningLoop,
  LifoQueue,
  Lock,
  type LoopOptions,
  PriorityQueue,
  type Producer,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  type Handle,
  type ReturnWhen,
  run,
  RuntimeError,
  Semaphore,
  shield,
  sleep,
  type Task,
  taskGroup,
  type Timeout,
  timeout,
  TimeoutError,
  ValueError,
  wait,
  waitFor,
} from "../../src/index.ts";

/** One operation: `[kind, ...arguments]`, as record.py writes them. */
export type Op =
  | ["sleep", number]
  | ["cancel", number]
  | ["await", number]
  | ["wait_for", number, number]
  | ["wait_for_shielded", number, number]
  | ["timeout", number, Op[]]
  | ["swallow", boolean, Op[]]
  | ["raise"]
  | ["lock", number]
  | ["event_set"]
  | ["event_clear"]
  | ["event_wait"]
  | ["put", number]
  | ["get"]
  | ["gather", number[], boolean]
  | ["wait", number[], ReturnWhen, number | null]
  | ["shield", number]
  | ["semaphore", number]
  | ["condition_wait"]
  | ["condition_notify", number]
  | ["task_done"]
  | ["join"]
  | ["barrier"]
  | ["shutdown", boolean]
  | ["spawn", Op[], boolean]
  | ["wait_for_ops", number, Op[]]
  | ["reschedule", number, number | null, Op[], Op[]]
  | ["finally", Op[], Op[]]
  | ["shield_ops", Op[]]
  | ["gather_ops", Op[][], boolean]
  | ["uncancel"]
  | ["uncancel_other", number]
  | ["cancelling"]
  | ["as_completed", number[], number | null, boolean]
  | ["task_group", Op[][], Op[]]
  | ["cancel_self"]
  | ["put_nowait", number]
  | ["get_nowait"]
  | ["barrier_abort"]
  | ["barrier_reset"]
  | ["condition_wait_for", number]
  | ["tick"]
  | ["call_later", number]
  | ["call_soon"]
  | ["cancel_callback"]
  | ["context_set", number]
  | ["context_get"]
  | ["context_run_set", number]
  | ["context_run_get"]
  | ["context_callback", number]
  | ["context_done_callback", number]
  | ["future_set", number]
  | ["future_fail"]
  | ["future_cancel"]
  | ["future_await"]
  | ["semaphore_release"]
  | ["lock_release"]
  | ["state"]
  | ["produce", ProducerOps, Op[], number | null]
  | ["produce_next", ProducerOps, number, number | null, boolean];

/**
 * A producer of the language: how many items it emits, what it runs before each and in
 * its `finally` block, whether, closed, it emits once more instead of ending, and whether
 * it is read through a relay (another producer that emits what it reads from it).
 */
export type ProducerOps = [count: number, between: Op[], cleanup: Op[], stubborn: boolean, relayed: boolean];

/**
 * A program: one script per top-level task, whether tasks start eagerly, the kind of its
 * queue and how many slots it has, and whether its semaphore is bounded.
 */
export interface Program {
  eager: boolean;
  tasks: Op[][];
  queue: ["fifo" | "lifo" | "priority", number];
  bounded: boolean;
}

const QUEUES = { fifo: Queue, lifo: LifoQueue, priority: PriorityQueue };

/** When main gives up on tasks that wait for what will never come (as in record.py). */
const HORIZON = 1000;

/** The operations that name one task (`gather` and `wait` name several). */
const TASK_OPS = new Set(["cancel", "await", "wait_for", "wait_for_shielded", "shield", "context_done_callback", "uncancel_other"]);

/** Python's `type(e).__name__` for an error, the value itself otherwise. */
function outcome(value: unknown): unknown {
  return value instanceof Error ? value.name : value;
}

/** What the language's gather logs: Python's list of each result or error name. */
function outcomes(values: unknown[]): string {
  return pyList(values.map(outcome));
}

/** gather, with returnExceptions known only at run time. */
function gatherOf(awaitables: (Task<string> | Coroutine<string>)[], returnExceptions: boolean): Future<unknown[]> {
  return gather(awaitables, { returnExceptions } as { returnExceptions: true });
}

/** The message CPython gives an error that wasyncio words its own way. */
function pyMessage(error: Error): string {
  const ignoredExit = error instanceof RuntimeError && error.message.includes("the producer gave an item while it was being closed");
  return ignoredExit ? "async generator ignored GeneratorExit" : error.message;
}

/** Python's str of a bool. */
function pyBool(value: boolean): string {
  return value ? "True" : "False";
}

/** Python's str of a deadline: None for never. */
function pyNumber(value: number): string {
  return value === Infinity ? "None" : String(value);
}

/** Python's repr of a list of strings and numbers. */
function pyList(values: unknown[]): string {
  return `[${values.map((value) => (typeof value === "string" ? `'${value}'` : String(value))).join(", ")}]`;
}

/**
 * Runs `program` on a fresh virtual-time loop (with `options`' core) and returns its trace.
 * `watch`, if given, is called with the loop before the program starts (to inspect it).
 */
export async function traceOf(
  program: Program,
  options: LoopOptions = {},
  watch?: (loop: EventLoop) => void,
): Promise<string[]> {
  const trace: string[] = [];
  const lostWork: string[] = [];
  // The producers produce_next began, held until the run is over: the loop holds those
  // left open only weakly, and one collected would not be closed as the run ends.
  const producers: unknown[] = [];
  await run(
    function* () {
      const loop = getRunningLoop();
      watch?.(loop);
      // CPython's programs reached no exception handler but to report errors never
      // retrieved and tasks left pending (record.py keeps no other): those end the trace,
      // sorted; anything else reaching wasyncio's handler is a difference, and goes into
      // the trace as it comes.
      loop.setExceptionHandler((_loop, context) => {
        const error = context.exception;
        if (context.message.endsWith("exception was never retrieved") && error instanceof Error) {
          lostWork.push(`${context.message}: ${error.name} ${pyMessage(error)}`);
        } else if (context.message === "Task was destroyed but it is pending!" && context.task !== undefined) {
          // Default names count tasks across programs, so they are not compared.
          const name = context.task.getName();
          lostWork.push(`${context.message} ${name.startsWith("Task-") ? "an unnamed task" : name}`);
        } else if (context.message === "an error occurred during closing of a producer left open") {
          // Reported by run()'s shutdown as the run ends: in the trace as it comes.
          trace.push(`exception handler: a producer left open failed to close: ${String(outcome(error))}`);
        } else {
          trace.push(`exception handler: ${context.message}`);
        }
      });
      const lock = new Lock();
      const event = new Event();
      const queue: Queue<number> = new QUEUES[program.queue[0]]<number>(program.queue[1]);
      const spawned: Task<unknown>[] = [];
      const semaphore = new (program.bounded ? BoundedSemaphore : Semaphore)(2);
      const condition = new Condition();
      const barrier = new Barrier(2);
      let ticks = 0; // what condition_wait_for waits on; tick adds one and notifies everyone
      const callbacks: Handle[] = []; // the handles of call_soon and call_later, in order
      const variable = new ContextVar<string>("v", { default: "-" }); // what the context ops set and read
      const shared = new Context(); // what spawns with context=shared run in, and context_run enters
      const future = loop.createFuture<number>(); // what the future ops set, fail, cancel and await
      const tasks: Task<string>[] = [];

      const log = (name: string, what: string): void => {
        trace.push(`${loop.time()} ${name} ${what}`);
      };

      /** Runs `body` in the shared context and logs what it says, or that entering was refused. */
      const inShared = (name: string, body: () => string): void => {
        let line: string;
        try {
          line = shared.run(body);
        } catch (error) {
          if (!(error instanceof RuntimeError)) throw error;
          line = "entering the shared context raised RuntimeError";
        }
        log(name, line);
      };

      function* awaited<T>(
        name: string,
        what: string,
        awaitable: Coroutine<T> | Future<T>,
        show: (value: T) => string = (value) => String(outcome(value)),
      ): Coroutine<void> {
        try {
          log(name, `${what} got ${show(yield* awaitable)}`);
        } catch (error) {
          log(name, `${what} raised ${String(outcome(error))}`);
          if (error instanceof CancelledError) throw error;
        }
      }

      /** Python's `async with primitive:` around a sleep: wasyncio's `with(body)`. */
      function* holding(
        name: string,
        primitive: Lock | Semaphore,
        ms: number,
        taken: string,
        released: string,
      ): Coroutine<void> {
        yield* primitive.with(function* () {
          log(name, taken);
          yield* sleep(ms);
        });
        log(name, released);
      }

      /** A producer that runs `between` before each of its items: 0, 1, ... */
      function* produce(name: string, count: number, between: Op[], cleanup: Op[], stubborn: boolean): Producer<number> {
        try {
          for (let item = 0; item < count; item++) {
            yield* runOps(name, between);
            log(name, `emits ${item}`);
            yield* emit(item);
          }
          log(name, "the producer ends");
        } catch (error) {
          if (error instanceof GeneratorExit) {
            log(name, "the producer is closed");
            if (stubborn) {
              log(name, "the producer emits instead of ending");
              yield* emit(count); // close() raises RuntimeError; the next one ends it here
            }
          }
          throw error;
        } finally {
          log(name, "the producer cleans up");
          yield* runOps(name, cleanup);
          log(name, "the producer cleaned up");
        }
      }

      /** A producer that emits what it reads from `inner`, closing it when closed. */
      function* relay(name: string, inner: Producer<number>): Producer<number> {
        try {
          yield* forAwait(inner, function* (item) {
            log(name, `relays ${item}`);
            yield* emit(item);
          });
        } finally {
          log(name, "the relay ends");
        }
      }

      /** The producer `spec` describes, as record.py's producer_of makes it. */
      function producerOf(name: string, [count, between, cleanup, stubborn, relayed]: ProducerOps): Producer<number> {
        const items = produce(name, count, between, cleanup, stubborn);
        return relayed ? relay(name, items) : items;
      }

      function* runOps(name: string, ops: Op[]): Coroutine<void> {
        for (const op of ops) {
          const named = op[0] === "gather" || op[0] === "wait" || op[0] === "as_completed" ? op[1] : TASK_OPS.has(op[0]) ? [op[1] as number] : [];
          if (named.some((t) => t >= tasks.length)) {
            // An eager task runs before the tasks created after it exist.
            log(name, `${op[0]}: not all of ${pyList(named)} exist yet`);
            continue;
          }
          switch (op[0]) {
            case "sleep":
              yield* sleep(op[1]);
              log(name, `slept ${op[1]}`);
              break;
            case "cancel":
              log(name, `cancel t${op[1]}: ${pyBool(tasks[op[1]]!.cancel())}`);
              break;
            case "await":
              yield* awaited(name, `await t${op[1]}`, tasks[op[1]]!);
              break;
            case "wait_for":
              yield* awaited(name, `wait_for t${op[1]} ${op[2]}`, waitFor(tasks[op[1]]!, op[2]));
              break;
            case "wait_for_shielded":
              yield* awaited(name, `wait_for shielded t${op[1]} ${op[2]}`, waitFor(shield(tasks[op[1]]!), op[2]));
              break;
            case "timeout": {
              const [, ms, body] = op;
              try {
                yield* timeout(ms, runOps(name, body));
                log(name, `within ${ms}`);
              } catch (error) {
                if (!(error instanceof TimeoutError)) throw error;
                log(name, `timed out after ${ms}`);
              }
              break;
            }
            case "swallow": {
              const [, uncancel, body] = op;
              try {
                yield* runOps(name, body);
              } catch (error) {
                if (!(error instanceof CancelledError)) throw error;
                const task = currentTask()!;
                const left = uncancel ? task.uncancel() : task.cancelling();
                log(name, `swallowed CancelledError (${uncancel ? "uncancel" : "cancelling"}: ${left})`);
              }
              break;
            }
            case "raise":
              throw new ValueError(name);
            case "lock":
              yield* holding(name, lock, op[1], "locked", "unlocked");
              break;
            case "event_set":
              event.set();
              log(name, "set the event");
              break;
            case "event_clear":
              event.clear();
              log(name, "cleared the event");
              break;
            case "event_wait":
              yield* event.wait();
              log(name, "saw the event");
              break;
            case "put":
              try {
                yield* queue.put(op[1]);
                log(name, `put ${op[1]}`);
              } catch (error) {
                if (!(error instanceof QueueShutDown)) throw error;
                log(name, `put ${op[1]} raised QueueShutDown`);
              }
              break;
            case "get":
              try {
                log(name, `got ${yield* queue.get()}`);
              } catch (error) {
                if (!(error instanceof QueueShutDown)) throw error;
                log(name, "get raised QueueShutDown");
              }
              break;
            case "shutdown":
              queue.shutdown(op[1]);
              log(name, `shut the queue down${op[1] ? " at once" : ""}`);
              break;
            case "gather": {
              const [, targets, returnExceptions] = op;
              const what = `gather ${targets.map((t) => `t${t}`).join(" ")}${returnExceptions ? " (return_exceptions)" : ""}`;
              yield* awaited(name, what, gatherOf(targets.map((t) => tasks[t]!), returnExceptions), outcomes);
              break;
            }
            case "wait": {
              const [, targets, returnWhen, ms] = op;
              const { done, pending } = yield* wait(
                targets.map((t) => tasks[t]!),
                ms === null ? { returnWhen } : { returnWhen, timeout: ms },
              );
              const names = (futures: Set<Task<string>>) => pyList([...futures].map((f) => f.getName()).sort());
              log(name, `wait ${returnWhen} ${ms === null ? "None" : ms}: done ${names(done)} pending ${names(pending)}`);
              break;
            }
            case "shield":
              yield* awaited(name, `shield t${op[1]}`, shield(tasks[op[1]]!));
              break;
            case "semaphore":
              yield* holding(name, semaphore, op[1], "acquired the semaphore", "released the semaphore");
              break;
            case "condition_wait":
              yield* condition.with(function* () {
                yield* condition.wait();
                log(name, "notified");
              });
              break;
            case "condition_notify":
              yield* condition.with(function* () {
                condition.notify(op[1]);
                log(name, `notify ${op[1]}`);
              });
              break;
            case "task_done":
              try {
                queue.taskDone();
                log(name, "task done");
              } catch (error) {
                if (!(error instanceof ValueError)) throw error;
                log(name, "task_done raised ValueError");
              }
              break;
            case "join":
              yield* queue.join();
              log(name, "joined");
              break;
            case "barrier":
              try {
                log(name, `passed the barrier ${yield* barrier.wait()}`);
              } catch (error) {
                if (!(error instanceof BrokenBarrierError)) throw error;
                log(name, "the barrier is broken");
              }
              break;
            case "spawn": {
              const child = `${name}+${spawned.length}`;
              const context = op[2] ? shared : undefined;
              spawned.push(createTask(runSpawned(child, op[1]), { name: child, context }));
              log(name, `spawned ${child}${op[2] ? " in the shared context" : ""}`);
              break;
            }
            case "finally":
              try {
                yield* runOps(name, op[1]);
              } finally {
                log(name, "cleans up");
                yield* runOps(name, op[2]);
                log(name, "cleaned up");
              }
              break;
            case "reschedule": {
              const [, ms, later, before, after] = op;
              let scope: Timeout | undefined;
              try {
                yield* timeout(ms, function* (s) {
                  scope = s;
                  yield* runOps(name, before);
                  s.reschedule(later === null ? Infinity : loop.time() + later);
                  log(name, `rescheduled to ${pyNumber(s.when())}, expired: ${pyBool(s.expired())}`);
                  yield* runOps(name, after);
                });
                log(name, `within the rescheduled timeout, expired: ${pyBool(scope!.expired())}`);
              } catch (error) {
                if (!(error instanceof TimeoutError)) throw error;
                log(name, `the rescheduled timeout expired: ${pyBool(scope!.expired())}`);
              }
              break;
            }
            case "wait_for_ops":
              yield* awaited(name, `wait_for ops ${op[1]}`, waitFor(opsValue(`${name}/w`, op[2]), op[1]));
              break;
            case "shield_ops":
              yield* awaited(name, "shield ops", shield(opsValue(`${name}/s`, op[1])));
              break;
            case "gather_ops": {
              const [, children, returnExceptions] = op;
              const what = `gather ops${returnExceptions ? " (return_exceptions)" : ""}`;
              yield* awaited(name, what, gatherOf(children.map((child, k) => opsValue(`${name}/${k}`, child)), returnExceptions), outcomes);
              break;
            }
            case "uncancel":
              log(name, `uncancel: ${currentTask()!.uncancel()}`);
              break;
            case "uncancel_other":
              log(name, `uncancel t${op[1]}: ${tasks[op[1]]!.uncancel()}`);
              break;
            case "cancelling":
              log(name, `cancelling: ${currentTask()!.cancelling()}`);
              break;
            case "as_completed": {
              const [, targets, ms, readAsync] = op;
              const finishing = asCompleted(targets.map((t) => tasks[t]!), ms === null ? {} : { timeout: ms });
              const shown = ms === null ? "None" : ms;
              let k = 0;
              if (!readAsync) {
                for (const next of finishing) yield* awaited(name, `as_completed ${shown} #${k++}`, next);
                break;
              }
              // forAwait, with what the iterator raises told apart from the body's.
              let inBody = false;
              try {
                yield* forAwait(finishing, function* (finished) {
                  inBody = true;
                  yield* awaited(name, `as_completed ${shown} async #${k++} t${tasks.indexOf(finished)}`, finished);
                  inBody = false;
                });
              } catch (error) {
                if (inBody) throw error;
                log(name, `as_completed ${shown} async #${k} raised ${String(outcome(error))}`);
                if (error instanceof CancelledError) throw error;
              }
              break;
            }
            case "cancel_self":
              log(name, `cancel self: ${pyBool(currentTask()!.cancel())}`);
              break;
            case "put_nowait":
              try {
                queue.putNowait(op[1]);
                log(name, `put ${op[1]} at once`);
              } catch (error) {
                if (!(error instanceof QueueFull || error instanceof QueueShutDown)) throw error;
                log(name, `put ${op[1]} at once raised ${error.name}`);
              }
              break;
            case "get_nowait":
              try {
                log(name, `got ${queue.getNowait()} at once`);
              } catch (error) {
                if (!(error instanceof QueueEmpty || error instanceof QueueShutDown)) throw error;
                log(name, `get at once raised ${error.name}`);
              }
              break;
            case "barrier_abort":
              yield* barrier.abort();
              log(name, "aborted the barrier");
              break;
            case "barrier_reset":
              yield* barrier.reset();
              log(name, "reset the barrier");
              break;
            case "condition_wait_for": {
              const wanted = op[1];
              yield* condition.with(function* () {
                yield* condition.waitFor(() => ticks >= wanted);
                log(name, `saw tick ${wanted} at ${ticks}`);
              });
              break;
            }
            case "tick":
              yield* condition.with(function* () {
                ticks++;
                condition.notifyAll();
                log(name, `tick ${ticks}`);
              });
              break;
            case "call_later": {
              const k = callbacks.length;
              callbacks.push(loop.callLater(op[1], () => log(name, `callback ${k} runs`)));
              log(name, `callback ${k} in ${op[1]}`);
              break;
            }
            case "call_soon": {
              const k = callbacks.length;
              callbacks.push(loop.callSoon(() => log(name, `callback ${k} runs`)));
              log(name, `callback ${k} soon`);
              break;
            }
            case "cancel_callback":
              callbacks.at(-1)?.cancel();
              log(name, `cancelled callback ${callbacks.length - 1}`);
              break;
            case "context_set":
              variable.set(`${name}#${op[1]}`);
              log(name, `set v to ${name}#${op[1]}`);
              break;
            case "context_get":
              log(name, `v is ${variable.get()}`);
              break;
            case "context_run_set":
              inShared(name, () => {
                variable.set(`${name}@${op[1]}`);
                return `set v to ${name}@${op[1]} in the shared context`;
              });
              break;
            case "context_run_get":
              inShared(name, () => `the shared context has v = ${variable.get()}`);
              break;
            case "context_callback":
              // The callback sees the context it was scheduled from; what it sets is its own.
              loop.callLater(op[1], () => {
                log(name, `context callback sees ${variable.get()}`);
                variable.set(`${name} callback`);
              });
              log(name, `context callback in ${op[1]}`);
              break;
            case "context_done_callback": {
              const t = op[1];
              tasks[t]!.addDoneCallback(() => log(name, `t${t} done, its callback sees ${variable.get()}`));
              log(name, `added a done callback to t${t}`);
              break;
            }
            case "future_set":
              try {
                future.setResult(op[1]);
                log(name, `set the future to ${op[1]}`);
              } catch (error) {
                if (!(error instanceof InvalidStateError)) throw error;
                log(name, `set the future to ${op[1]} raised InvalidStateError`);
              }
              break;
            case "future_fail":
              try {
                future.setException(new ValueError("the future"));
                log(name, "failed the future");
              } catch (error) {
                if (!(error instanceof InvalidStateError)) throw error;
                log(name, "failing the future raised InvalidStateError");
              }
              break;
            case "future_cancel":
              log(name, `cancel the future: ${pyBool(future.cancel())}`);
              break;
            case "future_await":
              yield* awaited(name, "await the future", future);
              break;
            case "semaphore_release":
              try {
                semaphore.release(); // unasked: the semaphore gains a slot, unless bounded
                log(name, "released the semaphore unasked");
              } catch (error) {
                if (!(error instanceof ValueError)) throw error;
                log(name, "releasing the semaphore unasked raised ValueError");
              }
              break;
            case "lock_release":
              try {
                lock.release(); // whoever holds it: asyncio's Lock has no owner
                log(name, "released the lock");
              } catch (error) {
                if (!(error instanceof RuntimeError)) throw error;
                log(name, "releasing the lock raised RuntimeError");
              }
              break;
            case "state":
              log(
                name,
                `state: lock ${pyBool(lock.locked())}, semaphore ${pyBool(semaphore.locked())}, event ${pyBool(event.isSet())}, ` +
                  `queue ${queue.qsize()} ${pyBool(queue.empty())} ${pyBool(queue.full())}, barrier ${barrier.nWaiting} ${pyBool(barrier.broken)}`,
              );
              break;
            case "produce": {
              // forAwait closes the producer when the loop is left early.
              const [, producer, body, stop] = op;
              yield* forAwait(producerOf(name, producer), function* (item) {
                log(name, `read ${item}`);
                yield* runOps(name, body);
                if (stop !== null && item + 1 >= stop) {
                  log(name, "stops reading");
                  return false;
                }
                return true;
              });
              log(name, "done reading");
              break;
            }
            case "produce_next": {
              // next() and close() by hand; one left open is closed as run() ends.
              const [, producer, reads, deadline, close] = op;
              const items = aiter(producerOf(name, producer));
              producers.push(items);
              for (let k = 0; k < reads; k++) {
                try {
                  const next = deadline === null ? yield* items.next() : yield* timeout(deadline, items.next());
                  log(name, next.done ? "next: the producer is done" : `next gave ${next.value}`);
                } catch (error) {
                  if (!(error instanceof TimeoutError)) throw error;
                  log(name, `next timed out after ${deadline}`);
                }
              }
              if (close) {
                yield* items.close();
                log(name, "closed the producer");
              }
              break;
            }
            case "task_group":
              try {
                yield* taskGroup(function* (group) {
                  op[1].forEach((child, k) => group.createTask(runTask(`${name}.${k}`, child), { name: `${name}.${k}` }));
                  yield* runOps(name, op[2]); // the body goes on while the children run
                });
                log(name, "group done");
              } catch (error) {
                if (!(error instanceof ExceptionGroup)) throw error;
                log(name, `group failed ${pyList(error.exceptions.map(outcome))}`);
              }
              break;
          }
        }
      }

      function* runTask(name: string, ops: Op[]): Coroutine<string> {
        try {
          yield* runOps(name, ops);
        } catch (error) {
          log(name, error instanceof CancelledError ? "ends cancelled" : `ends with ${String(outcome(error))}`);
          throw error;
        }
        log(name, "ends");
        return `${name} done`;
      }

      function* opsValue(name: string, ops: Op[]): Coroutine<string> {
        yield* runOps(name, ops);
        return `${name} done`;
      }

      function* runSpawned(name: string, ops: Op[]): Coroutine<string | null> {
        // Nobody awaits a spawned task: it reports its own failure, so none goes unretrieved.
        try {
          return yield* runTask(name, ops);
        } catch (error) {
          if (error instanceof CancelledError) throw error;
          return null;
        }
      }

      const main = currentTask()!;
      const horizon = loop.callLater(HORIZON, () => {
        log("main", "reached the horizon");
        main.cancel();
      });
      try {
        program.tasks.forEach((ops, me) => tasks.push(createTask(runTask(`t${me}`, ops), { name: `t${me}` })));
        const results = yield* gather(tasks, { returnExceptions: true });
        log("main", `gathered ${pyList(results.map(outcome))}`);
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        log("main", "cancelled");
      } finally {
        horizon.cancel();
      }
    },
    { ...options, clock: "virtual", eagerTasks: program.eager },
  );
  return [...trace, ...lostWork.sort()];
}
