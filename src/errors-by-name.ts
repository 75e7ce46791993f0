import { CoreMemoryError } from "./core/scheduler-core.js";
import {
  BrokenBarrierError,
  CancelledError,
  ExceptionGroup,
  GeneratorExit,
  InvalidStateError,
  LookupError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  TimeoutError,
  ValueError,
} from "./errors.js";

/**
 * This package's errors by name, which a worker's error becomes again when the worker
 * executor receives its clone (a plain Error): `catch (e) { if (e instanceof
 * ValueError) ... }` works across the pool. Unused, it leaves every bundle. (Named one
 * by one: `import * as errors` would put the whole namespace object in every bundle.)
 */
const ERROR_CLASSES: Readonly<Record<string, { prototype: Error }>> = {
  BrokenBarrierError,
  CancelledError,
  CoreMemoryError,
  ExceptionGroup,
  GeneratorExit,
  InvalidStateError,
  LookupError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  TimeoutError,
  ValueError,
};

/** @internal The class of this package's errors named `name`, if there is one. */
export function ourErrorClass(name: unknown): { prototype: Error } | undefined {
  return typeof name === "string" && Object.hasOwn(ERROR_CLASSES, name) ? ERROR_CLASSES[name] : undefined;
}
