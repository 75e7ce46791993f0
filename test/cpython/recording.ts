// The programs record.py ran on CPython's asyncio, with the trace each one left.
import type { Program } from "./interpreter.ts";
import recorded from "./traces.json" with { type: "json" };

export interface Recording {
  /** The CPython version that ran them. */
  python: string;
  seed: number;
  programs: { program: Program; trace: string[] }[];
}

export const recording = recorded as Recording;
