import { LookupError, RuntimeError, ValueError } from "./errors.js";
import { describe } from "./describe.js";
import { contextOwner, type ContextHolder, currentContext, replaceContext } from "./running.js";
import { optionsOf } from "./options.js";
import { Shown } from "./inspect-hook.js";

const MISSING: unique symbol = Symbol("missing");

/**
 * What {@link ContextVar.set} returns: {@link ContextVar.reset} with it restores the
 * value the variable had before, once.
 *
 * @example
 * ```ts
 * const token = user.set("admin");
 * try { yield* privileged(); } finally { user.reset(token); }
 * ```
 */
export class Token<T> extends Shown {
  /** @internal */ _used = false;
  /** The variable that was set (Python's `token.var`). */
  readonly variable: ContextVar<T>;
  /**
   * The variable's value before the set, or {@link Token.MISSING} if it had none (Python's
   * `token.old_value`): what `reset(token)` puts back.
   * @example
   * ```ts
   * const token = user.set("ada");
   * token.oldValue === Token.MISSING; // true: user had no value before
   * ```
   */
  readonly oldValue: T | typeof MISSING;
  /** @internal Whose context the value was set in: a task, a callback, or the top level. */
  readonly _owner: ContextHolder;

  constructor(variable: ContextVar<T>, old: T | typeof MISSING, owner: ContextHolder) {
    super();
    this.variable = variable;
    this.oldValue = old;
    this._owner = owner;
  }

  /**
   * What {@link oldValue} is when the variable had no value before the set (Python's
   * `Token.MISSING`).
   * @example
   * ```ts
   * if (token.oldValue === Token.MISSING) console.log("user was not set before");
   * ```
   */
  static get MISSING(): typeof MISSING {
    return MISSING;
  }

  /**
   * `<Token var=<ContextVar user>>`, and `<Token used var=...>` once it reset its
   * variable, as Python's repr.
   * @example
   * ```ts
   * String(user.set("ada")); // "<Token var=<ContextVar user>>"
   * ```
   */
  override toString(): string {
    return `<Token${this._used ? " used" : ""} var=${this.variable}>`;
  }
}

/**
 * A variable with a value per task (Python's contextvars.ContextVar). A task starts with
 * a copy of the values its creator saw; what it sets stays its own. A callback scheduled
 * with `callSoon`, `callLater`, `callAt` or `addDoneCallback` runs in a copy of the
 * context it was scheduled from, as in asyncio, and what it sets is gone when it returns.
 * Values set outside the loop are the starting point for what is scheduled there.
 *
 * @example
 * ```ts
 * const requestId = new ContextVar<string>("requestId", { default: "-" });
 * function* handle(id: string) {
 *   requestId.set(id);
 *   yield* sleep(10);
 *   log(`${requestId.get()} done`); // this task's id, whatever the others set
 * }
 * ```
 */
export class ContextVar<T> extends Shown {
  /** For messages and debugging. */
  readonly name: string;
  private readonly fallback: T | typeof MISSING;

  /**
   * A variable; make it once, at module level.
   * @param name For messages and debugging.
   * @param options `default`: what `get()` gives where it was never set.
   * @example
   * ```ts
   * const requestId = new ContextVar<string>("requestId", { default: "-" });
   * ```
   */
  constructor(name: string, options?: { default?: T }) {
    super();
    if (typeof name !== "string") throw new TypeError(`new ContextVar() needs a name (a string), got ${describe(name)}`);
    this.name = name;
    const given = optionsOf(options, "new ContextVar()", "default");
    this.fallback = "default" in given ? (given.default as T) : MISSING;
  }

  /**
   * The value in the current context; else `defaultValue` if given; else the variable's
   * default.
   * @throws LookupError when there is none of these, as Python's does.
   * @example
   * ```ts
   * const depth = new ContextVar<number>("depth", { default: 0 });
   * depth.get(); // 0
   * new ContextVar<string>("user").get(null); // string | null: null where it has no value
   * ```
   */
  get(): T;
  get<D = T>(defaultValue: D): T | D;
  get(defaultValue?: T): T {
    if (!(this instanceof ContextVar)) throw unbound("get", "");
    const context = currentContext();
    if (context.has(this)) return context.get(this) as T;
    if (arguments.length > 0) return defaultValue as T;
    if (this.fallback !== MISSING) return this.fallback;
    throw new LookupError(`ContextVar ${this.name} has no value and no default`);
  }

  /**
   * Sets the value in the current context; returns a token to undo it.
   * @example
   * ```ts
   * requestId.set("r-42"); // seen by this task and the tasks it creates from now on
   * ```
   */
  set(value: T): Token<T> {
    // Taken off its variable (`const { set } = requestId`), it would store the value
    // under `undefined`, where no get() finds it.
    if (!(this instanceof ContextVar)) throw unbound("set", "value");
    const context = currentContext();
    const old = context.has(this) ? (context.get(this) as T) : MISSING;
    replaceContext(new Map(context).set(this, value));
    return new Token(this, old, contextOwner());
  }

  /**
   * Restores the value from before `token`'s set(). Once per token, in the same context.
   * @example
   * ```ts
   * const token = depth.set(depth.get() + 1);
   * try { yield* recurse(); } finally { depth.reset(token); }
   * ```
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError(`ContextVar.reset() needs the Token that set() returned, got ${describe(token)}`);
    // In CPython's order: a used token is refused as used, whichever variable it names.
    if (token._used) throw new RuntimeError("Token has already been used once");
    if (token.variable !== this) throw new ValueError(`Token was created by a different ContextVar`);
    // A task's own values move to a Context when taskContext(task) makes one: a token set
    // in the task before that belongs to the Context now (asyncio's task has had it all along).
    const owner = contextOwner();
    if (token._owner !== owner && (token._owner as { _holder?: ContextHolder })._holder !== owner) {
      throw new ValueError("Token was created in a different Context");
    }
    token._used = true;
    const next = new Map(currentContext());
    if (token.oldValue === MISSING) next.delete(this);
    else next.set(this, token.oldValue);
    replaceContext(next);
  }

  /**
   * `<ContextVar requestId>`, for messages and logs.
   * @example
   * ```ts
   * String(new ContextVar("requestId")); // "<ContextVar requestId>"
   * ```
   */
  override toString(): string {
    return `<ContextVar ${this.name}>`;
  }
}

/**
 * A method taken off its variable (`const { get } = requestId`) has no variable to read
 * or write: it would look up `undefined`, or store the value where no get() finds it.
 */
function unbound(method: string, args: string): TypeError {
  return new TypeError(`ContextVar.${method}() was called without its variable: call it as variable.${method}(${args})`);
}
