/**
 * Puts the measurements into examples/README.md between two markers, leaving the rest of
 * the file as it is: the README is written by hand (and by other tools) around the block,
 * so the script replaces only its own block, reading the file right before writing it.
 */
import { readFileSync, writeFileSync } from "node:fs";

export const BLOCK_START = "<!-- article-measurements:start -->";
export const BLOCK_END = "<!-- article-measurements:end -->";

function indexOfOnly(text: string, marker: string): number {
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`marker ${marker} not found`);
  if (text.indexOf(marker, at + 1) !== -1) throw new Error(`marker ${marker} appears more than once`);
  return at;
}

/**
 * Replaces what is between the markers (they stay) with `content`, on lines of its own.
 * Refuses, rather than guesses, when a marker is missing, repeated or out of order.
 */
export function replaceBlock(text: string, content: string): string {
  const start = indexOfOnly(text, BLOCK_START);
  const end = indexOfOnly(text, BLOCK_END);
  if (end < start) throw new Error(`${BLOCK_END} comes before ${BLOCK_START}`);
  // A marker inside the content would make the next run's replacement ambiguous.
  if (content.includes(BLOCK_START) || content.includes(BLOCK_END)) throw new Error("the content contains a marker");
  const head = text.slice(0, start + BLOCK_START.length);
  const tail = text.slice(end);
  return `${head}\n${content.trim()}\n${tail}`;
}

/** Read, replace, write at once: the shorter the window, the less a concurrent edit can be lost. */
export function writeReadmeBlock(path: string, content: string): void {
  const before = readFileSync(path, "utf8");
  const after = replaceBlock(before, content);
  if (after !== before) writeFileSync(path, after);
}
