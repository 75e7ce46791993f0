// The public API of wasyncio, and nothing else.
export { run } from "./run.js";
export { runMain, type RunMainOptions, type ProcessSignal } from "./run-main.js";
export { Runner, type RunnerRunOptions } from "./runner.js";
export { EventLoop, type LoopOptions, type TaskOptions, type ExceptionContext, type ExceptionHandler, type TaskFactory, type TaskFactoryOptions } from "./loop.js";
export type { LoopCallback } from "./loop-callback.js";
export type { RefusedReturn } from "./refused-return.js";
export { getRunningLoop, currentTask } from "./running.js";
export { createTask, allTasks } from "./tasks.js";
export { Future } from "./future.js";
export { Task } from "./task.js";
export type { Coroutine, TaskBody, MainBody, ScopeBody, UseYieldStar, Yielded } from "./coroutine.js";
export type { Operation, AwaitedWithYieldStar } from "./operation.js";
export { Handle, TimerHandle } from "./handle.js";
export { sleep } from "./sleep.js";
export { gather, type GatherOptions, type GatherResults, type GatherSettled } from "./gather.js";
export { until } from "./until.js";
export { forAwait, type ForAwaitOperation, type GeneratorItem } from "./for-await.js";
export { emit, type Producer, type Emitted, type EmitOperation } from "./producer.js";
export { aiter, ProducerIterator, shutdownProducers } from "./producer-iterator.js";
export { ensureFuture, type Awaitable } from "./ensure-future.js";
export { timeout, timeoutAt, Timeout } from "./timeouts.js";
export { abortable } from "./abortable.js";
export { waitFor } from "./wait-for.js";
export { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, type ReturnWhen, type WaitOptions } from "./wait.js";
export { asCompleted, type AsCompleted, type AsCompletedOptions, type CompletedFuture } from "./as-completed.js";
export { race } from "./race.js";
export { staggeredRace, type StaggeredRaceResult } from "./staggered-race.js";
export { shield } from "./shield.js";
export { taskGroup, TaskGroup } from "./task-group.js";
export { ContextVar, Token } from "./context-var.js";
export { Context, copyContext } from "./context.js";
export { taskContext } from "./task-context.js";
export { Lock } from "./lock.js";
export type { HeldBody } from "./holding.js";
export { Event } from "./event.js";
export { Condition, type Truthy } from "./condition.js";
export { Semaphore, BoundedSemaphore } from "./semaphore.js";
export { Barrier } from "./barrier.js";
export { Queue, type QueueOptions } from "./queue.js";
export {
  PriorityQueue,
  naturalOrder,
  type Compare,
  type NaturallyOrdered,
  type PriorityQueueArgs,
  type PriorityQueueOptions,
} from "./priority-queue.js";
export { LifoQueue } from "./lifo-queue.js";
export {
  CancelledError,
  InvalidStateError,
  TimeoutError,
  RuntimeError,
  ValueError,
  LookupError,
  ExceptionGroup,
  type ErrorMatch,
  BrokenBarrierError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  GeneratorExit,
} from "./errors.js";
export {
  WorkerExecutor,
  type WorkerExecutorOptions,
  type WorkerExecutorShutdownOptions,
  type WorkerFunctions,
} from "./worker-executor.js";
export { serveExecutor } from "./serve-executor.js";
export type { WorkerLike, PortLike } from "./worker-port.js";
export { CoreMemoryError } from "./core/scheduler-core.js";
export type { CoreChoice, CompiledCore } from "./core/load-core.js";
// Inspecting and debugging.
export { taskTree, formatTaskTree, type TaskNode } from "./task-tree.js";
export { captureCallGraph, formatCallGraph, type FutureCallGraph } from "./call-graph.js";
export type { TaskActivity } from "./awaits.js";
export { recordTimeline, TaskTimeline, type TimelineRow, type TimelineSpan } from "./task-timeline.js";
export { formatTimeline, type FormatTimelineOptions } from "./format-timeline.js";
export { enableDebug, disableDebug, isDebugEnabled, type DebugOptions } from "./debug-mode.js";
