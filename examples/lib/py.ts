/**
 * Python's `print`, `str()`, `repr()` and `str.format("{}")`, enough to make the examples
 * print exactly what the articles' Python prints.
 *
 * How JavaScript values stand in for Python ones:
 *
 * | Python                 | here                              | prints as            |
 * | ---------------------- | --------------------------------- | -------------------- |
 * | `int` (30, -10)        | an integral `number`, a `bigint`  | `30`, `-10`          |
 * | `float` (0.5, 1e-05)   | a non-integral `number`           | `0.5`, `1e-05`       |
 * | `str`                  | `string`                          | as is; `'a'` in repr |
 * | `None`                 | `undefined` or `null`             | `None`               |
 * | `True` / `False`       | `boolean`                         | `True` / `False`     |
 * | `tuple` `("a", 1)`     | `tuple("a", 1)` (a frozen array)  | `('a', 1)`, `(1,)`   |
 * | `list` `["a", 1]`      | any other array                   | `['a', 1]`           |
 * | `set`                  | `Set`                             | `{'a', 1}`, `set()`  |
 * | `dict`                 | `Map` or a plain object           | `{'a': 1}`           |
 * | an exception           | an `Error`                        | str: its message; repr: `ValueError('bad')` |
 *
 * JavaScript has one number type, so a Python float that happens to be integral (`30.0`)
 * prints as the int `30`: wrap it with {@link float} when the difference matters.
 * Anything else prints with `String(value)`.
 */

const tuples = new WeakSet<readonly unknown[]>();

/** A Python tuple: a frozen array that prints as `(a, b)`. Destructure it like a tuple. */
export function tuple<const T extends readonly unknown[]>(...items: T): Readonly<T> {
  const t = Object.freeze(items);
  tuples.add(t);
  return t;
}

/** True for an array made by {@link tuple}. */
export function isTuple(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && tuples.has(value);
}

/** A Python float whose value may be integral: `float(30)` prints `30.0`. */
export class PyFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return floatRepr(this.value);
  }
}

/** Marks a number as a Python float, so that `30` prints as `30.0`. */
export function float(value: number): PyFloat {
  return new PyFloat(value);
}

/** Python's `print(*args)`: `str()` of each argument, separated by one space. */
export function print(...args: unknown[]): void {
  console.log(args.map(str).join(" "));
}

/** Python's `str(value)`. */
export function str(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message; // str(exception) is its message
  return repr(value);
}

/** Python's `repr(value)`: strings are quoted, containers show their items' repr. */
export function repr(value: unknown): string {
  switch (typeof value) {
    case "string":
      return stringRepr(value);
    case "number":
      return Number.isSafeInteger(value) ? String(value) : floatRepr(value);
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "True" : "False";
    case "undefined":
      return "None";
  }
  if (value === null) return "None";
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (value instanceof Error) return `${value.name}(${value.message === "" ? "" : stringRepr(value.message)})`;
  if (Array.isArray(value)) {
    const items = value.map(repr);
    if (isTuple(value)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    return `[${items.join(", ")}]`;
  }
  if (value instanceof Set) {
    return value.size === 0 ? "set()" : `{${[...value].map(repr).join(", ")}}`;
  }
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(", ")}}`;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(", ")}}`;
  }
  return String(value);
}

/**
 * Python's `template.format(*args)` for the auto-numbered `{}` and numbered `{0}` fields
 * (and `{{` / `}}`), each replaced with `str()` of its argument.
 */
export function format(template: string, ...args: unknown[]): string {
  let next = 0;
  return template.replace(/\{\{|\}\}|\{(\d*)\}/g, (field, index: string | undefined) => {
    if (field === "{{") return "{";
    if (field === "}}") return "}";
    const i = index === undefined || index === "" ? next++ : Number(index);
    if (i >= args.length) throw new RangeError(`format(): no argument for field ${field} in ${repr(template)}`);
    return str(args[i]);
  });
}

/** Python's `len()` for the containers above. */
export function len(value: { readonly length: number } | { readonly size: number }): number {
  return "length" in value ? value.length : value.size;
}

/** repr of a Python float: shortest round-trip digits, exponent outside [1e-4, 1e16). */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() with no argument gives the shortest digits that round-trip, as Python does.
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const e = Number(exp);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (e < -4 || e >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const fraction = digits.slice(e + 1);
  return `${sign}${intPart}.${fraction === "" ? "0" : fraction}`;
}

/** repr of a Python str: single quotes unless the text has ' and no ". */
function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}
