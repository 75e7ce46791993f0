import { describe } from "./errors.js";

/** What a function given no options reads: one shared, frozen, empty object. */
const NO_OPTIONS = Object.freeze({});

/**
 * The options object a function was given. None (`undefined`, or `null` as WebIDL's
 * dictionaries and Node's APIs take it) reads as `{}`. Anything else must be an object:
 * `createTask(body, "worker")` is refused instead of quietly dropping the name.
 */
export function optionsOf<T extends object>(options: T | null | undefined, what: string): Partial<T> {
  if (options == null) return NO_OPTIONS;
  if (typeof options !== "object") throw new TypeError(`${what}: options must be an object, got ${describe(options)}`);
  return options;
}
