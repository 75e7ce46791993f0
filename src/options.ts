import { describe } from "./describe.js";

/** What a function given no options reads: one shared, frozen, empty object. */
const NO_OPTIONS = /* @__PURE__ */ Object.freeze({});

/**
 * The options object a function was given. None (`undefined`, or `null` as WebIDL's
 * dictionaries and Node's APIs take it) reads as `{}`. Anything else must be an object:
 * `createTask(body, "worker")` is refused instead of quietly dropping the name. Each of
 * its keys must be one of `known` (names between spaces): a misspelt option, such as
 * `{ clok: "virtual" }`, is refused as Python refuses an unknown keyword argument,
 * instead of quietly leaving the default in force.
 */
export function optionsOf<T extends object>(options: T | null | undefined, what: string, known: string): Partial<T> {
  if (options == null) return NO_OPTIONS;
  if (typeof options !== "object") throw new TypeError(`${what}: options must be an object, got ${describe(options)}`);
  for (const key in options) {
    if (!` ${known} `.includes(` ${key} `)) {
      throw new TypeError(`${what}: unknown option ${JSON.stringify(key)}; it takes ${known.replaceAll(" ", ", ")}`);
    }
  }
  return options;
}

/**
 * A true/false option or argument: left out, it is `fallback`. Anything but a boolean is
 * refused, since `{ eagerTasks: "no" }` would otherwise read as true.
 */
export function flagOf(value: unknown, what: string, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${what} must be true or false, got ${describe(value)}`);
  return value;
}
