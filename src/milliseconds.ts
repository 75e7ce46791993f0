/** A loop time for people to read: whole ms as they are (virtual time), others to 0.1 ms. */
export function milliseconds(ms: number): string {
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(1);
}
