"""Records how CPython's asyncio runs random programs, for wasyncio to be compared with.

    python3.13 test/cpython/record.py            # writes test/cpython/traces.json
    SEED=7 PROGRAMS=5000 OUT=other.json python3.13 test/cpython/record.py   # other programs
    PYTHON=python3.13 SEED=7 PROGRAMS=5000 npx tsx test/cpython/explore.ts   # ... compared
    (MAX_OPS and MAX_TASKS make the programs bigger: 4 operations per script, 5 tasks;
    FOCUS=produce,produce_next draws the operations it names ten times as often.)

Each program is a few tasks, each a script in a small language: sleep, cancel another
task, await it, wait_for it (plain or shielded), shield it, a timeout scope, a block
that swallows CancelledError (with or without uncancel), raise, a lock, a semaphore, an
event, a condition, a barrier, a queue of one to three slots or unbounded, first-in
first-out, last-in first-out or by priority (with task_done, join and shutdown), gather,
wait, as_completed (iterated, or read with async for), uncancel/cancelling (of itself,
or uncancel of another task), a TaskGroup (whose body may go on working), spawning a
task nobody awaits (the runner cancels those left at the end), and wait_for, shield and
gather of plain coroutines (which asyncio wraps in tasks), rescheduling a timeout, a
finally block that may itself wait, a task cancelling itself, the queue's put_nowait and
get_nowait, aborting and resetting the barrier, Condition.wait_for on a counter that
other tasks tick, loop.call_soon and call_later callbacks (cancelled or not), and a
context variable: set and read by tasks, read and set by loop callbacks and done
callbacks (each runs in a copy of the context it was scheduled from), and set and read
in one shared Context that spawned tasks may be created in (its run() refused inside
them), one plain Future that tasks set, fail, cancel and await (a task cancelled while
it awaits the future cancels the future too), releases of the lock and the semaphore
(bounded or not) that no acquire matched, the state queries of every primitive, and
async generators (wasyncio's producers) that run operations before each item and in
their finally block (and perhaps, closed, emit once more instead of ending), perhaps
relayed by another that emits what it reads from them: read with async for inside
contextlib.aclosing (as wasyncio's forAwait closes what it leaves early), its body
running operations and perhaps breaking, or by hand with anext (perhaps under a timeout)
and aclose, or left open for shutdown_asyncgens to close as the run ends. A quarter of
the programs run with the eager task factory.
`interpreter.ts` beside this file runs the same language on wasyncio;
`cpython-traces.test.ts` holds every program's trace to the one recorded here.

Time is virtual on both sides: the loop below jumps to the next deadline instead of
waiting, and its unit is the millisecond of wasyncio (asyncio never looks at the unit).
Two orders that CPython leaves to chance are made definite, as wasyncio's are, so the
traces compare everything else:
- CPython's timer heap compares deadlines only, so timers due at the same instant pop
  in whatever order the heap leaves them; wasyncio runs them in the order they were
  scheduled. The recorder's timers break ties the same way.
- A TaskGroup keeps its tasks in a set, so which child it cancels first follows their
  memory addresses; wasyncio cancels them in the order they were created. The
  recorder's TaskGroups keep that order too, and so does its as_completed, which
  otherwise reports futures that are already done in set order, and so does the
  cancellation of the tasks left over when the main coroutine returns (asyncio.run
  takes them from all_tasks(), a set).

Cancellation messages are left out of the language: CPython keeps a cancelled task's
message only for the first reader of its CancelledError (Future._make_cancelled_error),
and gather(return_exceptions=True) makes new ones without it; wasyncio hands every
reader the same error, message included.

Main gives its tasks until time 1000 (far beyond any program's own timers), then
cancels them: a program that would otherwise deadlock, waiting for an event no one sets
or for each other, ends that way. One that deadlocks even so (nothing ready, no timer
left, a task still waiting) is not kept: wasyncio would wait for an outside event
forever, as CPython does. Nor is one where
CPython's cancellation recurses until the stack overflows (tasks awaiting each other in a
cycle, then cancelled): wasyncio ends those tasks instead. Nor is one where anything
reached the loop's exception handler, except for errors never retrieved and tasks left
pending: CPython reports those when it collects the future, wasyncio when the loop
closes, so both traces end with the list of them, sorted.
"""

import asyncio
import contextlib
import contextvars
import gc
import heapq
import itertools
import json
import os
import random
import sys
from asyncio import events
from pathlib import Path

# When main gives up on tasks that wait for what will never come (an event no one sets,
# each other, ...): it cancels them, so such programs end, and are compared too.
HORIZON = 1000
SEED = int(os.environ.get("SEED", 20261122))
PROGRAMS = int(os.environ.get("PROGRAMS", 500))
MAX_OPS = int(os.environ.get("MAX_OPS", 4))  # operations per script, at most
MAX_TASKS = int(os.environ.get("MAX_TASKS", 5))  # top-level tasks per program, at most
OUT = Path(os.environ.get("OUT", Path(__file__).with_name("traces.json")))


class Deadlock(Exception):
    pass


class VirtualLoop(asyncio.BaseEventLoop):
    """An event loop on virtual time: waiting for the next timer moves time to it."""

    def __init__(self):
        super().__init__()
        self._now = 0
        self._sequence = itertools.count()
        self._selector = self  # BaseEventLoop._run_once calls self._selector.select(timeout)
        # The async generators begun, which shutdown_asyncgens closes: a WeakSet, closed in
        # whatever order the set leaves them; wasyncio closes them in the order they were
        # begun. (run_program keeps each one, so holding them strongly changes nothing.)
        self._asyncgens = InsertionOrderedSet()

    def time(self):
        return self._now

    def select(self, timeout):
        if timeout is None:
            raise Deadlock()
        self._now += timeout
        return []

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass

    def call_at(self, when, callback, *args, context=None):
        # BaseEventLoop.call_at, with a timer that breaks ties in scheduling order.
        self._check_closed()
        timer = SequencedTimer(when, callback, args, self, context)
        timer._sequence = next(self._sequence)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer


class SequencedTimer(events.TimerHandle):
    __slots__ = ("_sequence",)

    def __lt__(self, other):
        return (self._when, self._sequence) < (other._when, other._sequence)


class InsertionOrderedSet(dict):
    """The set operations TaskGroup uses, iterating in insertion order."""

    def add(self, item):
        self[item] = None

    def discard(self, item):
        self.pop(item, None)

    def remove(self, item):
        del self[item]


_task_group_init = asyncio.TaskGroup.__init__


def _ordered_task_group_init(self):
    _task_group_init(self)
    self._tasks = InsertionOrderedSet()


asyncio.TaskGroup.__init__ = _ordered_task_group_init


def _ordered_as_completed_init(self, aws, timeout):
    # asyncio.tasks._AsCompletedIterator.__init__ of 3.13, with ordered sets.
    self._done = asyncio.Queue()
    self._timeout_handle = None
    loop = asyncio.get_event_loop()
    todo = InsertionOrderedSet.fromkeys(asyncio.ensure_future(aw, loop=loop) for aw in dict.fromkeys(aws))
    for f in todo:
        f.add_done_callback(self._handle_completion)
    if todo and timeout is not None:
        self._timeout_handle = loop.call_later(timeout, self._handle_timeout)
    self._todo = todo
    self._todo_left = len(todo)


asyncio.tasks._AsCompletedIterator.__init__ = _ordered_as_completed_init


# ---- the language ----


# How often each operation is drawn (relative weights). The ones that nest run other
# operations, and are drawn only two levels deep.
WEIGHTS = {
    "sleep": 30, "cancel": 8, "await": 7, "wait_for": 7, "wait_for_shielded": 4, "shield": 2,
    "raise": 3, "lock": 6, "event": 4, "queue": 9, "gather": 3, "wait": 3, "as_completed": 2,
    "semaphore": 2, "condition": 2, "join": 2, "barrier": 1, "shutdown": 1, "cancel_count": 2,
    "timeout": 8, "swallow": 6, "task_group": 3, "spawn": 2, "wait_for_ops": 2, "shield_ops": 2,
    "gather_ops": 2, "reschedule": 2, "finally": 3, "cancel_self": 2, "nowait": 2, "barrier_break": 1,
    "condition_predicate": 3, "call_later": 2, "context": 6, "future": 4,
    "release": 2, "state": 3, "uncancel_other": 2, "produce": 3, "produce_next": 2,
}
# FOCUS=produce,produce_next draws the operations named ten times as often.
for _kind in filter(None, os.environ.get("FOCUS", "").split(",")):
    if _kind not in WEIGHTS:
        sys.exit(f"FOCUS names {_kind!r}, which is no operation; the operations are: {', '.join(WEIGHTS)}")
    WEIGHTS[_kind] *= 10
NESTING = {"timeout", "swallow", "task_group", "spawn", "wait_for_ops", "shield_ops", "gather_ops", "reschedule", "finally",
           "produce", "produce_next"}


def random_ops(rng, me, tasks, depth, in_shared=False):
    # in_shared: these ops run in a task created with context=shared. Its spawns stay out
    # of `shared`: an eager task created in an entered context leaves CPython 3.13 with a
    # wrong current task (create_task raises, but the swap of current tasks is not undone).
    others = [t for t in range(tasks) if t != me]
    kinds = [k for k in WEIGHTS if (depth < 2 or k not in NESTING) and (others or k == "sleep")]
    ops = []
    for _ in range(rng.randint(1, MAX_OPS)):
        kind = rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds])[0]
        some = lambda most: rng.sample(others, min(len(others), rng.randint(1, most)))
        inner = lambda: random_ops(rng, me, tasks, depth + 1, in_shared)
        if kind == "sleep":
            ops.append(["sleep", rng.choice([0, 0, 1, 2, 5, 10, 10, 20, 30])])
        elif kind in ("cancel", "await", "shield"):
            ops.append([kind, rng.choice(others)])
        elif kind in ("wait_for", "wait_for_shielded"):
            ops.append([kind, rng.choice(others), rng.choice([0, 5, 10, 20])])
        elif kind == "raise":
            ops.append(["raise"])
        elif kind in ("lock", "semaphore"):
            ops.append([kind, rng.choice([0, 5, 10])])
        elif kind == "event":
            ops.append([rng.choice(["event_set", "event_set", "event_wait", "event_clear"])])
        elif kind == "queue":
            if rng.random() < 0.5:
                # Up to three puts in a row, so that a queue of several slots holds several
                # items, and its order (first in, last in, smallest) shows.
                ops.extend(["put", rng.randint(1, 9)] for _ in range(rng.choice([1, 1, 2, 3])))
            else:
                ops.extend(["get"] for _ in range(rng.choice([1, 1, 2])))
        elif kind == "gather":
            ops.append(["gather", some(2), rng.random() < 0.5])
        elif kind == "wait":
            returns = rng.choice(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"])
            ops.append(["wait", some(3), returns, rng.choice([None, None, 0, 5, 20])])
        elif kind == "as_completed":
            # Iterated (coroutines that give results) or, in half, read with async for
            # (the futures themselves, 3.13).
            ops.append(["as_completed", some(3), rng.choice([None, 0, 5, 20]), rng.random() < 0.5])
        elif kind == "condition":
            ops.append(["condition_wait"] if rng.random() < 0.5 else ["condition_notify", rng.choice([1, 2])])
        elif kind == "join":
            ops.append([rng.choice(["task_done", "join"])])
        elif kind == "barrier":
            ops.append(["barrier"])
        elif kind == "shutdown":
            ops.append(["shutdown", rng.random() < 0.5])
        elif kind == "cancel_count":
            ops.append([rng.choice(["uncancel", "cancelling"])])
        elif kind == "uncancel_other":
            ops.append(["uncancel_other", rng.choice(others)])
        elif kind == "timeout":
            ops.append(["timeout", rng.choice([0, 5, 10, 15, 30]), inner()])
        elif kind == "swallow":
            ops.append(["swallow", rng.random() < 0.5, inner()])
        elif kind == "task_group":
            children = [random_ops(rng, -1, tasks, 2) for _ in range(rng.randint(1, 3))]
            ops.append(["task_group", children, random_ops(rng, me, tasks, 2) if rng.random() < 0.5 else []])
        elif kind == "spawn":
            shared = not in_shared and rng.random() < 0.4
            ops.append(["spawn", random_ops(rng, -1, tasks, depth + 1, in_shared or shared), shared])
        elif kind == "wait_for_ops":
            ops.append(["wait_for_ops", rng.choice([0, 5, 10, 20]), inner()])
        elif kind == "shield_ops":
            ops.append(["shield_ops", inner()])
        elif kind == "gather_ops":
            ops.append(["gather_ops", [random_ops(rng, me, tasks, 2) for _ in range(rng.randint(1, 2))], rng.random() < 0.5])
        elif kind == "reschedule":
            ops.append(["reschedule", rng.choice([0, 5, 10]), rng.choice([None, -5, 0, 5, 20]), inner(), inner()])
        elif kind == "finally":
            ops.append(["finally", inner(), random_ops(rng, me, tasks, 2)])
        elif kind == "cancel_self":
            ops.append(["cancel_self"])
        elif kind == "nowait":
            ops.append(["put_nowait", rng.randint(1, 9)] if rng.random() < 0.5 else ["get_nowait"])
        elif kind == "barrier_break":
            ops.append([rng.choice(["barrier_abort", "barrier_reset"])])
        elif kind == "condition_predicate":
            ops.append(["condition_wait_for", rng.randint(1, 2)] if rng.random() < 0.4 else ["tick"])
        elif kind == "call_later":
            draw = rng.random()
            ops.append(["call_later", rng.choice([0, 5, 10])] if draw < 0.45 else ["call_soon"] if draw < 0.7 else ["cancel_callback"])
        elif kind == "context":
            draw = rng.random()
            if draw < 0.3:
                ops.append(["context_set", rng.randint(1, 9)])
            elif draw < 0.5:
                ops.append(["context_get"])
            elif draw < 0.6:
                ops.append(["context_run_set", rng.randint(1, 9)])
            elif draw < 0.7:
                ops.append(["context_run_get"])
            elif draw < 0.85:
                ops.append(["context_callback", rng.choice([0, 0, 5])])
            else:
                ops.append(["context_done_callback", rng.choice(others)])
        elif kind == "future":
            ops.append(rng.choice([["future_set", rng.randint(1, 9)], ["future_fail"], ["future_cancel"], ["future_await"], ["future_await"]]))
        elif kind == "release":
            ops.append([rng.choice(["semaphore_release", "lock_release"])])
        elif kind == "state":
            ops.append(["state"])
        elif kind in ("produce", "produce_next"):
            # What the producer runs before each item (often a sleep alone), and what its
            # finally block runs; the reader's body, or how it asks for items.
            between = inner() if rng.random() < 0.4 else [["sleep", rng.choice([0, 1, 5, 10])]]
            cleanup = inner() if rng.random() < 0.5 else []
            # A stubborn producer, closed, emits once more instead of ending; a relayed one
            # is read through another that emits what it reads (async for ... yield).
            producer = [rng.randint(0, 3), between, cleanup, rng.random() < 0.15, rng.random() < 0.25]
            if kind == "produce":
                body = inner() if rng.random() < 0.5 else []
                ops.append(["produce", producer, body, rng.choice([None, None, 1, 2])])
            else:
                reads, deadline = rng.randint(0, 4), rng.choice([None, None, 0, 5, 10])
                ops.append(["produce_next", producer, reads, deadline, rng.random() < 0.6])
    return ops


def random_program(rng):
    tasks = rng.randint(1, MAX_TASKS)
    program = {"eager": rng.random() < 0.25, "tasks": [random_ops(rng, me, tasks, 0) for me in range(tasks)]}
    # The queue's kind and size, and whether the semaphore is bounded.
    program["queue"] = [rng.choice(["fifo", "lifo", "priority"]), rng.choice([0, 1, 1, 2, 3])]
    program["bounded"] = rng.random() < 0.3
    return program


QUEUES = {"fifo": asyncio.Queue, "lifo": asyncio.LifoQueue, "priority": asyncio.PriorityQueue}


TASK_OPS = ("cancel", "await", "wait_for", "wait_for_shielded", "shield", "context_done_callback", "uncancel_other")


def outcome(value):
    return type(value).__name__ if isinstance(value, BaseException) else value


def outcomes(values):
    return [outcome(value) for value in values]


async def run_program(program, trace, producers):
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()
    event = asyncio.Event()
    queue_kind, queue_size = program["queue"]
    queue = QUEUES[queue_kind](maxsize=queue_size)
    spawned = []
    semaphore = (asyncio.BoundedSemaphore if program["bounded"] else asyncio.Semaphore)(2)
    condition = asyncio.Condition()
    barrier = asyncio.Barrier(2)
    ticks = 0  # what condition_wait_for waits on; tick adds one and notifies everyone
    callbacks = []  # the handles of call_soon and call_later, in order
    variable = contextvars.ContextVar("v", default="-")  # what the context ops set and read
    shared = contextvars.Context()  # what spawns with context=shared run in, and context_run enters
    future = loop.create_future()  # what the future ops set, fail, cancel and await
    tasks = []

    def log(name, what):
        trace.append(f"{loop.time():g} {name} {what}")

    def in_shared(name, body):
        """Runs body in the shared context and logs what it says, or that entering was refused."""
        try:
            line = shared.run(body)
        except RuntimeError:
            line = "entering the shared context raised RuntimeError"
        log(name, line)

    async def awaited(name, what, awaitable, show=outcome):
        try:
            log(name, f"{what} got {show(await awaitable)}")
        except asyncio.CancelledError:
            log(name, f"{what} raised CancelledError")
            raise
        except Exception as error:
            log(name, f"{what} raised {outcome(error)}")

    async def holding(name, primitive, ms, taken, released):
        async with primitive:
            log(name, taken)
            await asyncio.sleep(ms)
        log(name, released)

    async def produce(name, count, between, cleanup, stubborn):
        """An async generator that runs `between` before each of its items: 0, 1, ..."""
        try:
            for item in range(count):
                await run_ops(name, between)
                log(name, f"emits {item}")
                yield item
            log(name, "the producer ends")
        except GeneratorExit:
            log(name, "the producer is closed")
            if stubborn:
                log(name, "the producer emits instead of ending")
                yield count  # aclose() raises RuntimeError; the next one ends it here
            raise
        finally:
            log(name, "the producer cleans up")
            await run_ops(name, cleanup)
            log(name, "the producer cleaned up")

    async def relay(name, inner):
        """An async generator that emits what it reads from `inner`, closing it when closed."""
        try:
            async with contextlib.aclosing(inner):
                async for item in inner:
                    log(name, f"relays {item}")
                    yield item
        finally:
            log(name, "the relay ends")

    def producer_of(name, spec):
        count, between, cleanup, stubborn, relayed = spec
        items = produce(name, count, between, cleanup, stubborn)
        # Kept until the loop is closed: CPython closes a producer it collects then and
        # there, in the middle of the trace, even one that ignored GeneratorExit (wasyncio
        # never closes such a producer again, nor one it collects).
        producers.append(items)
        if relayed:
            items = relay(name, items)
            producers.append(items)
        return items

    async def run_ops(name, ops):
        nonlocal ticks
        if loop.is_closed():
            # A coroutine or generator that CPython's collector closes after the loop closed
            # runs its finally blocks then; what they would do (fail the future, say, which
            # is then reported as never retrieved) is not the program's: it ended at close.
            return
        for op in ops:
            kind = op[0]
            named = op[1] if kind in ("gather", "wait", "as_completed") else [op[1]] if kind in TASK_OPS else []
            if any(t >= len(tasks) for t in named):
                # An eager task runs before the tasks created after it exist.
                log(name, f"{kind}: not all of {named} exist yet")
                continue
            if kind == "sleep":
                await asyncio.sleep(op[1])
                log(name, f"slept {op[1]}")
            elif kind == "cancel":
                log(name, f"cancel t{op[1]}: {tasks[op[1]].cancel()}")
            elif kind == "await":
                await awaited(name, f"await t{op[1]}", tasks[op[1]])
            elif kind == "wait_for":
                await awaited(name, f"wait_for t{op[1]} {op[2]}", asyncio.wait_for(tasks[op[1]], op[2]))
            elif kind == "wait_for_shielded":
                await awaited(name, f"wait_for shielded t{op[1]} {op[2]}", asyncio.wait_for(asyncio.shield(tasks[op[1]]), op[2]))
            elif kind == "timeout":
                try:
                    async with asyncio.timeout(op[1]):
                        await run_ops(name, op[2])
                    log(name, f"within {op[1]}")
                except TimeoutError:
                    log(name, f"timed out after {op[1]}")
            elif kind == "swallow":
                try:
                    await run_ops(name, op[2])
                except asyncio.CancelledError:
                    left = asyncio.current_task().uncancel() if op[1] else asyncio.current_task().cancelling()
                    log(name, f"swallowed CancelledError ({'uncancel' if op[1] else 'cancelling'}: {left})")
            elif kind == "raise":
                raise ValueError(name)
            elif kind == "lock":
                await holding(name, lock, op[1], "locked", "unlocked")
            elif kind == "event_set":
                event.set()
                log(name, "set the event")
            elif kind == "event_clear":
                event.clear()
                log(name, "cleared the event")
            elif kind == "event_wait":
                await event.wait()
                log(name, "saw the event")
            elif kind == "put":
                try:
                    await queue.put(op[1])
                    log(name, f"put {op[1]}")
                except asyncio.QueueShutDown:
                    log(name, f"put {op[1]} raised QueueShutDown")
            elif kind == "get":
                try:
                    log(name, f"got {await queue.get()}")
                except asyncio.QueueShutDown:
                    log(name, "get raised QueueShutDown")
            elif kind == "shutdown":
                queue.shutdown(immediate=op[1])
                log(name, f"shut the queue down{' at once' if op[1] else ''}")
            elif kind == "gather":
                targets = [tasks[t] for t in op[1]]
                what = f"gather {' '.join(f't{t}' for t in op[1])}{' (return_exceptions)' if op[2] else ''}"
                await awaited(name, what, asyncio.gather(*targets, return_exceptions=op[2]), outcomes)
            elif kind == "wait":
                targets = [tasks[t] for t in op[1]]
                done, pending = await asyncio.wait(targets, return_when=op[2], timeout=op[3])
                names = lambda futures: sorted(f.get_name() for f in futures)
                log(name, f"wait {op[2]} {op[3]}: done {names(done)} pending {names(pending)}")
            elif kind == "shield":
                await awaited(name, f"shield t{op[1]}", asyncio.shield(tasks[op[1]]))
            elif kind == "semaphore":
                await holding(name, semaphore, op[1], "acquired the semaphore", "released the semaphore")
            elif kind == "condition_wait":
                async with condition:
                    await condition.wait()
                    log(name, "notified")
            elif kind == "condition_notify":
                async with condition:
                    condition.notify(op[1])
                    log(name, f"notify {op[1]}")
            elif kind == "task_done":
                try:
                    queue.task_done()
                    log(name, "task done")
                except ValueError:
                    log(name, "task_done raised ValueError")
            elif kind == "join":
                await queue.join()
                log(name, "joined")
            elif kind == "barrier":
                try:
                    log(name, f"passed the barrier {await barrier.wait()}")
                except asyncio.BrokenBarrierError:
                    log(name, "the barrier is broken")
            elif kind == "spawn":
                child = f"{name}+{len(spawned)}"
                context = shared if op[2] else None
                spawned.append(asyncio.create_task(run_spawned(child, op[1]), name=child, context=context))
                log(name, f"spawned {child}{' in the shared context' if op[2] else ''}")
            elif kind == "finally":
                try:
                    await run_ops(name, op[1])
                finally:
                    log(name, "cleans up")
                    await run_ops(name, op[2])
                    log(name, "cleaned up")
            elif kind == "reschedule":
                _, ms, later, before, after = op
                try:
                    async with asyncio.timeout(ms) as scope:
                        await run_ops(name, before)
                        scope.reschedule(None if later is None else loop.time() + later)
                        log(name, f"rescheduled to {scope.when()}, expired: {scope.expired()}")
                        await run_ops(name, after)
                    log(name, f"within the rescheduled timeout, expired: {scope.expired()}")
                except TimeoutError:
                    log(name, f"the rescheduled timeout expired: {scope.expired()}")
            elif kind == "wait_for_ops":
                await awaited(name, f"wait_for ops {op[1]}", asyncio.wait_for(ops_value(f"{name}/w", op[2]), op[1]))
            elif kind == "shield_ops":
                await awaited(name, "shield ops", asyncio.shield(ops_value(f"{name}/s", op[1])))
            elif kind == "gather_ops":
                what = f"gather ops{' (return_exceptions)' if op[2] else ''}"
                coros = [ops_value(f"{name}/{k}", child) for k, child in enumerate(op[1])]
                await awaited(name, what, asyncio.gather(*coros, return_exceptions=op[2]), outcomes)
            elif kind == "uncancel":
                log(name, f"uncancel: {asyncio.current_task().uncancel()}")
            elif kind == "uncancel_other":
                log(name, f"uncancel t{op[1]}: {tasks[op[1]].uncancel()}")
            elif kind == "cancelling":
                log(name, f"cancelling: {asyncio.current_task().cancelling()}")
            elif kind == "as_completed" and not op[3]:
                for k, next_done in enumerate(asyncio.as_completed([tasks[t] for t in op[1]], timeout=op[2])):
                    await awaited(name, f"as_completed {op[2]} #{k}", next_done)
            elif kind == "as_completed":
                # async for, with what the iterator raises told apart from the body's.
                finishing = asyncio.as_completed([tasks[t] for t in op[1]], timeout=op[2])
                k = 0
                while True:
                    try:
                        finished = await anext(finishing)
                    except StopAsyncIteration:
                        break
                    except BaseException as error:
                        log(name, f"as_completed {op[2]} async #{k} raised {outcome(error)}")
                        if isinstance(error, asyncio.CancelledError):
                            raise
                        break
                    await awaited(name, f"as_completed {op[2]} async #{k} t{tasks.index(finished)}", finished)
                    k += 1
            elif kind == "cancel_self":
                log(name, f"cancel self: {asyncio.current_task().cancel()}")
            elif kind == "put_nowait":
                try:
                    queue.put_nowait(op[1])
                    log(name, f"put {op[1]} at once")
                except (asyncio.QueueFull, asyncio.QueueShutDown) as error:
                    log(name, f"put {op[1]} at once raised {outcome(error)}")
            elif kind == "get_nowait":
                try:
                    log(name, f"got {queue.get_nowait()} at once")
                except (asyncio.QueueEmpty, asyncio.QueueShutDown) as error:
                    log(name, f"get at once raised {outcome(error)}")
            elif kind == "barrier_abort":
                await barrier.abort()
                log(name, "aborted the barrier")
            elif kind == "barrier_reset":
                await barrier.reset()
                log(name, "reset the barrier")
            elif kind == "condition_wait_for":
                async with condition:
                    await condition.wait_for(lambda: ticks >= op[1])
                    log(name, f"saw tick {op[1]} at {ticks}")
            elif kind == "tick":
                async with condition:
                    ticks += 1
                    condition.notify_all()
                    log(name, f"tick {ticks}")
            elif kind == "call_later":
                k = len(callbacks)
                callbacks.append(loop.call_later(op[1], log, name, f"callback {k} runs"))
                log(name, f"callback {k} in {op[1]}")
            elif kind == "call_soon":
                k = len(callbacks)
                callbacks.append(loop.call_soon(log, name, f"callback {k} runs"))
                log(name, f"callback {k} soon")
            elif kind == "cancel_callback":
                if callbacks:
                    callbacks[-1].cancel()
                log(name, f"cancelled callback {len(callbacks) - 1}")
            elif kind == "context_set":
                variable.set(f"{name}#{op[1]}")
                log(name, f"set v to {name}#{op[1]}")
            elif kind == "context_get":
                log(name, f"v is {variable.get()}")
            elif kind == "context_callback":
                # The callback sees the context it was scheduled from; what it sets is its own.
                def context_callback(name=name):
                    log(name, f"context callback sees {variable.get()}")
                    variable.set(f"{name} callback")

                loop.call_later(op[1], context_callback)
                log(name, f"context callback in {op[1]}")
            elif kind == "context_run_set":
                def set_in_shared(name=name, n=op[1]):
                    variable.set(f"{name}@{n}")
                    return f"set v to {name}@{n} in the shared context"

                in_shared(name, set_in_shared)
            elif kind == "context_run_get":
                in_shared(name, lambda: f"the shared context has v = {variable.get()}")
            elif kind == "context_done_callback":
                t = op[1]
                tasks[t].add_done_callback(lambda _, name=name, t=t: log(name, f"t{t} done, its callback sees {variable.get()}"))
                log(name, f"added a done callback to t{t}")
            elif kind == "future_set":
                try:
                    future.set_result(op[1])
                    log(name, f"set the future to {op[1]}")
                except asyncio.InvalidStateError:
                    log(name, f"set the future to {op[1]} raised InvalidStateError")
            elif kind == "future_fail":
                try:
                    future.set_exception(ValueError("the future"))
                    log(name, "failed the future")
                except asyncio.InvalidStateError:
                    log(name, "failing the future raised InvalidStateError")
            elif kind == "future_cancel":
                log(name, f"cancel the future: {future.cancel()}")
            elif kind == "future_await":
                await awaited(name, "await the future", future)
            elif kind == "semaphore_release":
                try:
                    semaphore.release()  # unasked: the semaphore gains a slot, unless bounded
                    log(name, "released the semaphore unasked")
                except ValueError:
                    log(name, "releasing the semaphore unasked raised ValueError")
            elif kind == "lock_release":
                try:
                    lock.release()  # whoever holds it: asyncio's Lock has no owner
                    log(name, "released the lock")
                except RuntimeError:
                    log(name, "releasing the lock raised RuntimeError")
            elif kind == "state":
                log(name, f"state: lock {lock.locked()}, semaphore {semaphore.locked()}, event {event.is_set()}, "
                    f"queue {queue.qsize()} {queue.empty()} {queue.full()}, barrier {barrier.n_waiting} {barrier.broken}")
            elif kind == "produce":
                # async for, closing the producer when the loop is left early (aclosing), as
                # wasyncio's forAwait does.
                _, producer, body, stop = op
                items = producer_of(name, producer)
                async with contextlib.aclosing(items):
                    async for item in items:
                        log(name, f"read {item}")
                        await run_ops(name, body)
                        if stop is not None and item + 1 >= stop:
                            log(name, "stops reading")
                            break
                log(name, "done reading")
            elif kind == "produce_next":
                # anext() and aclose() by hand; one left open is closed by shutdown_asyncgens.
                _, producer, reads, deadline, close = op
                items = producer_of(name, producer)  # if left open, closed as the run ends
                for _ in range(reads):
                    try:
                        if deadline is None:
                            item = await anext(items)
                        else:
                            async with asyncio.timeout(deadline):
                                item = await anext(items)
                        log(name, f"next gave {item}")
                    except StopAsyncIteration:
                        log(name, "next: the producer is done")
                    except TimeoutError:
                        log(name, f"next timed out after {deadline}")
                if close:
                    await items.aclose()
                    log(name, "closed the producer")
            elif kind == "task_group":
                try:
                    async with asyncio.TaskGroup() as group:
                        for k, child in enumerate(op[1]):
                            group.create_task(run_task(f"{name}.{k}", child), name=f"{name}.{k}")
                        await run_ops(name, op[2])  # the body goes on while the children run
                    log(name, "group done")
                except BaseExceptionGroup as group_error:
                    log(name, f"group failed {[outcome(e) for e in group_error.exceptions]}")

    async def run_task(name, ops):
        try:
            await run_ops(name, ops)
        except asyncio.CancelledError:
            log(name, "ends cancelled")
            raise
        except Exception as error:
            log(name, f"ends with {outcome(error)}")
            raise
        log(name, "ends")
        return f"{name} done"

    async def ops_value(name, ops):
        await run_ops(name, ops)
        return f"{name} done"

    async def run_spawned(name, ops):
        # Nobody awaits a spawned task: it reports its own failure, so none goes unretrieved.
        try:
            return await run_task(name, ops)
        except Exception:
            return None

    main = asyncio.current_task()

    def at_the_horizon():
        log("main", "reached the horizon")
        main.cancel()

    horizon = loop.call_later(HORIZON, at_the_horizon)
    try:
        for me, ops in enumerate(program["tasks"]):
            tasks.append(asyncio.create_task(run_task(f"t{me}", ops), name=f"t{me}"))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        log("main", f"gathered {[outcome(r) for r in results]}")
    except asyncio.CancelledError:
        log("main", "cancelled")
    finally:
        horizon.cancel()


def cancel_left_over_tasks(loop, created):
    """asyncio.runners._cancel_all_tasks, cancelling in the order the tasks were created."""
    to_cancel = sorted(asyncio.all_tasks(loop), key=created.__getitem__)
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler({"message": "unhandled exception during shutdown", "exception": task.exception()})


class StackOverflows:
    """Counts the RecursionErrors raised anywhere, even those a program's gather swallows.

    CPython's cancellation recurses round a cycle of tasks waiting on each other until the
    stack overflows; the error can end up anywhere (a task's result that
    gather(return_exceptions) hands over unlogged, a callback), so it is caught where it
    is raised, with sys.monitoring.
    """

    TOOL = sys.monitoring.DEBUGGER_ID

    def __init__(self):
        self.count = 0
        sys.monitoring.use_tool_id(self.TOOL, "record.py")
        sys.monitoring.register_callback(self.TOOL, sys.monitoring.events.RAISE, self._raised)
        sys.monitoring.set_events(self.TOOL, sys.monitoring.events.RAISE)

    def _raised(self, code, offset, exception):
        if isinstance(exception, RecursionError):
            self.count += 1


stack_overflows = None  # made by the first record(): it registers a monitoring tool


def record(program):
    """The program's trace, run as asyncio.run runs a coroutine; None if it cannot finish."""
    global stack_overflows
    if stack_overflows is None:
        stack_overflows = StackOverflows()
    overflows_before = stack_overflows.count
    trace = []
    loop = VirtualLoop()
    created = {}  # task -> the order it was created in

    creation_counter = itertools.count()

    def task_factory(loop, coro, **options):
        order = next(creation_counter)  # taken before an eager first step creates others
        if program["eager"]:
            task = asyncio.eager_task_factory(loop, coro, **options)
        else:
            task = asyncio.Task(coro, loop=loop, **options)
        created[task] = order
        return task

    loop.set_task_factory(task_factory)
    # Each report becomes its line at once: a context kept whole would keep its exception,
    # whose traceback's frames keep alive what the program's closures hold (a failed
    # future no one retrieved, say), which then would never be collected, nor reported.
    lost = []

    def report(loop, context):
        if context["message"].startswith("an error occurred during closing of asynchronous generator"):
            # Reported by shutdown_asyncgens, as the run ends: in the trace as it comes.
            # Except a StopAsyncIteration: that is how 3.13 answers an aclose() of a
            # generator whose earlier aclose() raised "async generator ignored
            # GeneratorExit" (it leaves it unclosed, as wasyncio leaves such a producer).
            if isinstance(context["exception"], StopAsyncIteration):
                return
            trace.append(f"exception handler: a producer left open failed to close: {outcome(context['exception'])}")
        else:
            lost.append(lost_work_line(context))

    loop.set_exception_handler(report)
    producers = []  # those the program began, kept until the loop is closed
    # The cycle collector waits until the loop is closed. Run mid-program, it could take a
    # coroutine an earlier program left pending and close it, and the except and finally
    # blocks that runs would act on this program's current task (cancel it, uncancel it):
    # a trace then depended on when the collector happened to run.
    gc.disable()
    try:
        loop.run_until_complete(loop.create_task(run_program(program, trace, producers)))
        # What asyncio.Runner.close does before it closes the loop.
        cancel_left_over_tasks(loop, created)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    except (Deadlock, RecursionError):
        return None
    finally:
        loop.close()
        gc.enable()
    # CPython reports an error no one retrieved, or a task still pending, when it
    # collects the future: once the closed loop lets go of its callbacks and timers.
    # Collecting a pending task also closes its coroutine, which runs its except and
    # finally blocks with no loop to run in; what they log then is not the program's
    # (wasyncio never closes a coroutine behind its back), so the trace ends at close.
    steps = len(trace)
    created.clear()
    producers.clear()
    loop._asyncgens.clear()  # those begun after shutdown_asyncgens (a WeakSet would not keep them)
    gc.collect()
    del trace[steps:]
    # A cancellation that went round a cycle of waiting tasks overflowed the stack.
    if None in lost or stack_overflows.count > overflows_before:
        return None
    return trace + sorted(lost)


def lost_work_line(context):
    """A trace's last lines: each error no one retrieved and each task left pending, sorted.

    None for any other report to the exception handler.
    """
    message = context["message"]
    if message.endswith("exception was never retrieved"):
        error = context["exception"]
        return f"{message}: {type(error).__name__} {error}"
    if message == "Task was destroyed but it is pending!":
        name = context["task"].get_name()
        # Default names count tasks across programs, so they are not compared; and with a
        # task factory, 3.13's create_task names an unnamed task "None".
        return f"{message} {'an unnamed task' if name.startswith('Task-') or name == 'None' else name}"
    return None


def main():
    if sys.version_info[:2] != (3, 13):
        sys.exit(f"record with CPython 3.13 (this is {sys.version.split()[0]})")
    rng = random.Random(SEED)
    recorded = []
    left_out = 0
    while len(recorded) < PROGRAMS:
        program = random_program(rng)
        trace = record(program)
        if trace is None:
            left_out += 1
            continue
        recorded.append({"program": program, "trace": trace})
    OUT.write_text(
        json.dumps({"python": sys.version.split()[0], "seed": SEED, "programs": recorded}, indent=None) + "\n"
    )
    print(f"{len(recorded)} programs recorded in {OUT.name} ({left_out} left out: deadlocks, cancellation cycles)")


if __name__ == "__main__":
    main()
