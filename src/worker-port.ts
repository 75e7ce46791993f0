// The two ends of a worker executor talk over whatever the host calls a worker: a Web
// Worker (browsers, Deno, Bun) and its global scope, or node:worker_threads' Worker and
// parentPort. Both post messages; they differ in how a listener is attached.

import { describe } from "./describe.js";

/** What a worker executor needs of a worker: the Web `Worker` and node's `Worker` both fit. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** What `serveExecutor` needs of its end: a worker's global scope, or node's `parentPort`. */
export interface PortLike {
  postMessage(message: unknown): void;
}

/** A job, from the executor to the worker. */
export interface JobMessage {
  id: number;
  name: string;
  args: unknown[];
}

/**
 * A job's outcome, from the worker to the executor. A failure carries the error's own
 * fields and its name beside it, since structured clone keeps only an Error's message,
 * stack, cause and standard name: `code`, `status` or a custom `name` would be lost.
 */
export type OutcomeMessage =
  | { id: number; ok: true; value: unknown }
  | ({ id: number; ok: false } & InnerError);

/**
 * From `serveExecutor` when its worker closes itself (`self.close()`, or `close()` of
 * node's `parentPort`): it will answer no more. Deno and browsers tell a worker's owner
 * nothing when a worker closes itself, so without it a call to that worker would wait
 * for good.
 */
export interface ClosingMessage {
  closing: true;
  /** How: "it closed itself (close())", or an exit (`Deno.exit(3)`) the host would not tell. */
  how?: string | undefined;
}

/**
 * From `serveExecutor` as it starts serving: a worker that fails before it says so failed
 * in its module (an import that throws, a typo), and every worker made after it would
 * fail the same way.
 */
export interface ServingMessage {
  serving: true;
}

/**
 * From `serveExecutor` when a message it was sent could not be read (structured clone
 * took it, but the worker's side could not make it again: an error whose `cause` chain is
 * a cycle, on Node 20). It does not know the call's id, but a worker runs one call at a
 * time: the executor fails the one it sent last, which would otherwise wait for good.
 */
export interface UnreadableMessage {
  unreadable: string;
}

/** What a worker's end posts to the executor. */
export type WorkerMessage = OutcomeMessage | ClosingMessage | ServingMessage | UnreadableMessage;

/** An error as a worker sends it: itself and what its clone drops. */
export interface InnerError {
  error: unknown;
  fields?: Record<string, unknown> | undefined;
  /**
   * The errors of an AggregateError (an ExceptionGroup), which structured clone drops,
   * each one of these. Beside the fields, not among them: an error of another kind may
   * have a field of its own named `errors`.
   */
  errors?: InnerError[] | undefined;
  /**
   * The error's `cause`, when it is an Error itself, as one of these: a cause of this
   * package's class, or with fields of its own, arrives as what it was.
   */
  cause?: InnerError | undefined;
  /** It is a DOMException, which some hosts clone as a bare object (Node 20). */
  dom?: boolean | undefined;
  /**
   * It is of this package's class of its name (a TimeoutError of `timeout()`), which the
   * executor's side makes it again: a DOMException named "TimeoutError", or another
   * library's error named "CancelledError", stays what it was.
   */
  ours?: boolean | undefined;
}

type EventedNode = { on(type: string, listener: (value: unknown) => void): unknown };
type EventedWeb = { addEventListener(type: string, listener: (event: { data?: unknown }) => void): unknown };

/**
 * Calls `listener` with each message's data (type "message"), with each error (type
 * "error"), or with what tells of a message that arrived but could not be read (type
 * "messageerror"), on a node-style emitter (`on`) or a web-style target (`addEventListener`).
 */
export function listen(target: object, type: "message" | "error" | "messageerror", listener: (value: unknown) => void, what: string): void {
  if (typeof (target as EventedNode | null)?.on === "function") {
    (target as EventedNode).on(type, listener);
  } else if (typeof (target as EventedWeb | null)?.addEventListener === "function") {
    (target as EventedWeb).addEventListener(type, (event) => {
      if (type === "message") {
        listener(event.data);
        return;
      }
      // A worker's uncaught error would also be reported on the page; it is ours to handle.
      (event as { preventDefault?: () => void }).preventDefault?.();
      listener(event);
    });
  } else {
    throw new TypeError(`${what} needs a worker or port with addEventListener (the Web's) or on (node:worker_threads), got ${describe(target)}`);
  }
}

/**
 * Why a message could not be read: node:worker_threads gives the error ("Unable to
 * deserialize cloned data"), the Web only an event that says nothing more.
 */
export function unreadableReason(reason: unknown): string {
  return reason instanceof Error ? String(reason) : "structured clone could not make it again";
}
