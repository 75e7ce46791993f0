// How the runtime names a value in its messages and descriptions: short, one line, and
// never throwing, whatever the value is (a revoked Proxy, a getter that throws).

/**
 * Describes a value for an error message: its type and a short rendering. Never throws:
 * a revoked Proxy, or a `constructor` or `name` getter that throws, is described as
 * what it is, so the message about it can still be made.
 */
export function describe(value: unknown): string {
  if (value == null) return String(value); // "null", "undefined"
  if (typeof value === "function") return `a function (${functionName(value) || "anonymous"})`;
  if (typeof value === "object") {
    try {
      if (value instanceof Promise) return "a Promise";
      if (Object.prototype.toString.call(value) === "[object Generator]") return "a generator";
      const name: unknown = (value as object).constructor?.name;
      return name && typeof name === "string" ? `an object of class ${name}` : "an object";
    } catch {
      return "an object that cannot be inspected";
    }
  }
  if (typeof value === "string") return `the string ${quote(value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * A value as a finished future's description shows it, in the spirit of Python's repr:
 * `5`, `"text"`, `ValueError("bad")`, `an object of class Job`. Short, one line, and it
 * never throws, whatever the value (a revoked Proxy, a getter that throws).
 */
export function repr(value: unknown): string {
  try {
    if (typeof value === "string") return quote(value);
    if (value instanceof Error) return `${value.name}(${repr(value.message)})`;
    return value !== null && (typeof value === "object" || typeof value === "function") ? describe(value) : String(value);
  } catch {
    return "(a value that cannot be shown)";
  }
}

/**
 * A string as JSON, cut after 40 characters: for messages, which stay one short line.
 * The cut is marked "..." (as Python's reprlib marks it), not "…": the runtime's
 * messages are ASCII, which a page or log read in any charset reads right.
 */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + "..." : text);
}

/**
 * A function's name for a message or a log, "" if it has none. Reading `name` can throw
 * (a revoked Proxy, a getter of the program's own); a report about the function must not.
 */
export function functionName(fn: Function): string {
  try {
    const name: unknown = fn.name;
    return typeof name === "string" ? name : "";
  } catch {
    return "";
  }
}
