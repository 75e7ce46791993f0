// Deno polls the network only every hundred or so immediates: a loop kept busy by its
// tasks yields every 8 ms, and unless some of those yields go through setTimeout(0) (see
// src/host.ts), a fetch's answer waited about a second behind a busy task.
import { expect, it } from "vitest";
import { runDenoFixture } from "./deno-fixture.ts";

it("in Deno, a loop kept busy by a task that never waits still lets a fetch's answer in, whatever it waits on", async () => {
  const outcome = await runDenoFixture("busy-fetch-main.ts", ["--allow-net=127.0.0.1"]);
  // A task that yields with sleep(0), then one that awaits settled promises, after 0 to 3
  // short runs.
  expect(outcome).toEqual(Array(5).fill({ answered: "pong", withinBound: true }));
}, 90_000);
