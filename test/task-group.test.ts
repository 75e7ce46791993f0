// TaskGroup, in the spirit of CPython's test_taskgroups.py, including SEMANTICS.md items 8-9.
import { expect, it } from "vitest";
import {
  CancelledError,
  createTask,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  RuntimeError,
  sleep,
  type Task,
  TaskGroup,
  taskGroup,
} from "../src/index.ts";
import { failAfter, forEachCore, outcome, runVirtual, thrown, virtualLoop } from "./helpers.ts";

function messages(error: unknown): string[] {
  expect(error).toBeInstanceOf(ExceptionGroup);
  return (error as ExceptionGroup).exceptions.map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
}

forEachCore("TaskGroup", (core) => {
  it("waits for every task before exiting, and returns the body's value", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const done: string[] = [];
      const value = yield* taskGroup(function* (tg) {
        tg.createTask(function* () {
          yield* sleep(30);
          done.push("a");
        });
        tg.createTask(function* () {
          yield* sleep(10);
          done.push("b");
        });
        return "body";
      });
      return [value, done, loop.time()];
    });
    expect(out).toEqual(["body", ["b", "a"], 30]);
  });

  it("the first failure cancels the siblings and the body; errors come out as an ExceptionGroup", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(failAfter(10, "boom"));
          tg.createTask(function* () {
            try {
              yield* sleep(1000);
            } finally {
              log.push(`sibling cancelled at ${loop.time()}`);
            }
          });
          try {
            yield* sleep(1000);
          } finally {
            log.push(`body cancelled at ${loop.time()}`);
          }
        });
      } catch (error) {
        log.push(...messages(error));
        log.push((error as Error).message);
      }
      // The group's own cancellation of this task was taken back.
      log.push(`cancelling ${currentTask()!.cancelling()}`);
    });
    // As in asyncio: the group cancels the siblings first, then the body.
    expect(log).toEqual([
      "sibling cancelled at 10",
      "body cancelled at 10",
      "Error: boom",
      "unhandled errors in a TaskGroup (1 sub-exception)",
      "cancelling 0",
    ]);
  });

  it("SEMANTICS 8: lists the children's errors first and the body's own error last, including errors raised while being cancelled", async () => {
    const out = await runVirtual(core, function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(failAfter(10, "child 1"));
          tg.createTask(function* () {
            try {
              yield* sleep(1000);
            } finally {
              // Fails while being cancelled.
              throw new Error("child 2 during cancellation");
            }
          });
          try {
            yield* sleep(1000);
          } finally {
            // The body's own error replaces its CancelledError.
            // eslint-disable-next-line no-unsafe-finally
            throw new Error("body");
          }
        });
      } catch (error) {
        return messages(error);
      }
      return [];
    });
    expect(out).toEqual(["Error: child 1", "Error: child 2 during cancellation", "Error: body"]);
  });

  it("a body that fails cancels the children and raises the group with its error", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(function* () {
            try {
              yield* sleep(1000);
            } finally {
              log.push("child cancelled");
            }
          });
          yield* sleep(5);
          throw new TypeError("body failed");
        });
      } catch (error) {
        log.push(...messages(error));
      }
    });
    expect(log).toEqual(["child cancelled", "TypeError: body failed"]);
  });

  it("cancelling the parent task cancels every task in the group; CancelledError comes out", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const parent = createTask(() =>
        taskGroup(function* (tg) {
          for (const name of ["x", "y"]) {
            tg.createTask(function* () {
              try {
                yield* sleep(1000);
              } finally {
                log.push(`${name} cancelled`);
              }
            });
          }
          yield* sleep(1000);
        }),
      );
      yield* sleep(10);
      parent.cancel();
      try {
        yield* parent;
      } catch (error) {
        log.push((error as Error).name);
      }
    });
    expect(log).toEqual(["x cancelled", "y cancelled", "CancelledError"]);
  });

  it("cancelling the parent while the group waits for its children at exit cancels them at once, not when they end", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const parent = createTask(() =>
        taskGroup(function* (tg) {
          tg.createTask(function* () {
            try {
              yield* sleep(1000);
              log.push(`child ended at ${loop.time()}`);
            } catch (error) {
              log.push(`child ${(error as Error).name} at ${loop.time()}`);
              throw error;
            }
          });
          // The body returns at once: the group now waits at its exit.
        }),
      );
      yield* sleep(10);
      parent.cancel();
      try {
        yield* parent;
      } catch (error) {
        log.push(`${(error as Error).name} at ${loop.time()}`);
      }
    });
    expect(log).toEqual(["child CancelledError at 10", "CancelledError at 10"]);
  });

  it("SEMANTICS 9: a child failing while the group's task is cancelled from outside keeps the outside cancellation", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const parent = createTask(function* () {
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(function* () {
              try {
                yield* sleep(1000);
              } finally {
                throw new Error("child fails while cancelled");
              }
            });
            yield* sleep(1000);
          });
        } catch (error) {
          log.push(...messages(error));
          log.push(`cancelling ${currentTask()!.cancelling()}`);
        }
        // The outside cancellation is still pending: the next suspension raises it.
        yield* sleep(1);
        log.push("not reached");
      });
      yield* sleep(10);
      parent.cancel();
      try {
        yield* parent;
      } catch (error) {
        log.push(`parent ended with ${(error as Error).name}`);
      }
      return log;
    });
    expect(out).toEqual(["Error: child fails while cancelled", "cancelling 1", "parent ended with CancelledError"]);
  });

  it("createTask after the group finished, or before entry, is an error, and the coroutine is closed, never run", async () => {
    const out = await runVirtual(core, function* () {
      let saved!: TaskGroup;
      yield* taskGroup(function* (tg) {
        saved = tg;
      });
      // One whose child failed is finished too, not shutting down (asyncio's order of the checks).
      let failed!: TaskGroup;
      try {
        yield* taskGroup(function* (tg) {
          failed = tg;
          tg.createTask(failAfter(1, "x"));
          yield* sleep(100);
        });
      } catch {
        // the ExceptionGroup of the failed child
      }
      let ran = false;
      const refused = (function* () {
        ran = true;
        return 5;
      })();
      const messages = [
        thrown(() => saved.createTask(refused)),
        thrown(() => failed.createTask(function* () {})),
        thrown(() => new TaskGroup().createTask(function* () {})),
      ];
      const after = yield* refused; // closed: it gives nothing and runs nothing
      return [...messages, after, ran];
    });
    expect(out).toEqual([
      "RuntimeError: TaskGroup <TaskGroup entered> is finished",
      "RuntimeError: TaskGroup <TaskGroup cancelling> is finished",
      "RuntimeError: TaskGroup <TaskGroup> has not been entered",
      undefined,
      false,
    ]);
  });

  it("a child that fails after its parent task has completed goes to the exception handler, naming both", async () => {
    const reports: unknown[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reports.push(`${context.message} (${(context.exception as Error).message})`));
      createTask(
        function* () {
          // The group entered by hand and left behind: its body waits forever, its child runs on.
          const steps = taskGroup(function* (tg) {
            tg.createTask(failAfter(5, "late"), { name: "child" });
            yield* loop.createFuture();
          })[Symbol.iterator]();
          steps.next();
          return "parent done";
        },
        { name: "parent" },
      );
      yield* sleep(10);
    });
    expect(reports).toEqual(["Task child has errored out but its parent task parent is already completed (late)"]);
  });

  it("a child that fails after its parent task has completed does not cancel its siblings (asyncio returns after reporting)", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler(() => {});
      let sibling!: Task<string>;
      createTask(function* () {
        // The group entered by hand and left behind, as above.
        const steps = taskGroup(function* (tg) {
          tg.createTask(failAfter(5, "late"));
          sibling = tg.createTask(function* () {
            yield* sleep(20);
            return "sibling finished";
          });
          yield* loop.createFuture();
        })[Symbol.iterator]();
        steps.next();
        return "parent done";
      });
      yield* sleep(30);
      return [sibling.cancelled(), sibling.done() && !sibling.cancelled() ? sibling.result() : "not finished"];
    });
    expect(out).toEqual([false, "sibling finished"]);
  });

  it("describes itself as asyncio's repr does: tasks running, errors so far, state", async () => {
    const out = await runVirtual(core, function* () {
      const seen: string[] = [];
      let saved!: TaskGroup;
      try {
        yield* taskGroup(function* (tg) {
          saved = tg;
          seen.push(String(tg));
          tg.createTask(sleep(10));
          tg.createTask(failAfter(1, "x"));
          seen.push(String(tg));
          try {
            yield* sleep(100);
          } finally {
            seen.push(String(tg));
          }
        });
      } catch {}
      seen.push(String(saved));
      return seen;
    });
    expect(out).toEqual([
      "<TaskGroup entered>",
      "<TaskGroup tasks=2 entered>",
      "<TaskGroup tasks=1 errors=1 cancelling>",
      "<TaskGroup cancelling>", // its errors went into the ExceptionGroup
    ]);
  });

  it("createTask while the group shuts down is an error", async () => {
    const out = await runVirtual(core, function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(failAfter(1, "x"));
          try {
            yield* sleep(100);
          } catch (error) {
            if (!(error instanceof CancelledError)) throw error;
            try {
              tg.createTask(function* () {});
            } catch (inner) {
              return (inner as RuntimeError).message;
            }
          }
          return "no error";
        });
      } catch (error) {
        return messages(error).join();
      }
      return "no group error";
    });
    expect(out).toBe("Error: x");
  });

  it("tg.cancel() cancels the tasks and the body, and the group ends without an error", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      const value = yield* taskGroup(function* (tg) {
        tg.createTask(function* () {
          try {
            yield* sleep(1000);
          } finally {
            log.push(`child cancelled at ${loop.time()}`);
          }
        });
        tg.createTask(function* () {
          yield* sleep(20);
          tg.cancel();
        });
        try {
          yield* sleep(1000);
        } finally {
          log.push(`body cancelled at ${loop.time()}`);
        }
        return "unreachable";
      });
      log.push(`group returned ${String(value)}; cancelling ${currentTask()!.cancelling()}`);
      yield* sleep(1); // no cancellation is left pending
      log.push(`still running at ${loop.time()}`);
      return log;
    });
    expect(out).toEqual([
      "child cancelled at 20",
      "body cancelled at 20",
      "group returned undefined; cancelling 0",
      "still running at 21",
    ]);
  });

  it("tg.cancel() before the body suspends, after the group finished, or of a group never entered, is harmless", async () => {
    const out = await runVirtual(core, function* () {
      new TaskGroup().cancel(); // nothing to cancel: only taskGroup() enters a group
      let saved!: TaskGroup;
      yield* taskGroup(function* (tg) {
        saved = tg;
        tg.createTask(sleep(1000));
        tg.cancel();
      });
      saved.cancel();
      yield* sleep(1);
      return getRunningLoop().time();
    });
    expect(out).toBe(1);
  });

  it("a cancellation from outside after tg.cancel(), while the children clean up, is not lost (CPython gh-155433)", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      const worker = createTask(function* () {
        const value = yield* taskGroup(function* (tg) {
          tg.createTask(function* () {
            yield* sleep(5);
            tg.cancel();
          });
          tg.createTask(function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(10); // the outside cancellation comes during this
            }
          });
          return "body result";
        });
        log.push(`group returned ${value}`);
        yield* sleep(50);
        return "finished";
      });
      yield* sleep(8);
      worker.cancel();
      try {
        log.push(`worker ${yield* worker}`);
      } catch (error) {
        log.push(`worker raised ${String(error)} at ${loop.time()}`);
      }
      return log;
    });
    expect(out).toEqual(["worker raised CancelledError at 15"]);
  });

  it("cancelled while it waits, in the step its last child ends in, exits cancelled and reports nothing", async () => {
    // The child's done callback finds the group's wait already cancelled: it must leave it be.
    const { loop, errors } = virtualLoop(core);
    const out = await loop.runUntilComplete(function* () {
      const worker: Task<string> = createTask(function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(function* () {
            yield* sleep(5);
            loop.callSoon(() => worker.cancel()); // runs before the group hears of the child's end
          });
        });
        return "not cancelled";
      });
      return yield* outcome(() => worker);
    });
    loop.close();
    expect([out, ...errors.map(String)]).toEqual(["CancelledError"]);
  });

  it("cancelled from outside, then tg.cancel() while the children clean up, raises the outside cancellation (the first), as asyncio raises the body's", async () => {
    const out = await runVirtual(core, function* () {
      const worker = createTask(function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(function* () {
            try {
              yield* sleep(100);
            } finally {
              tg.cancel(); // a second cancellation of the group's task, while it waits
              yield* sleep(10);
            }
          });
          yield* sleep(100);
        });
      });
      yield* sleep(5);
      worker.cancel("from outside");
      try {
        yield* worker;
        return "no error";
      } catch (error) {
        return `${String(error)} at ${getRunningLoop().time()}`;
      }
    });
    expect(out).toBe("CancelledError: from outside at 15");
  });

  it("a cancellation from outside that comes with tg.cancel(), while the body waits, is not lost either", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const worker: Task<string> = createTask(function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(function* () {
            yield* sleep(5);
            tg.cancel();
            worker.cancel(); // not the group's: the body's CancelledError must reach the worker
          });
          yield* sleep(100);
        });
        return "went on";
      });
      return `${yield* outcome(() => worker)} at ${loop.time()}`;
    });
    expect(out).toBe("CancelledError at 5");
  });

  it("an eager child that cancels its group in its first step is cancelled once in it (CPython gh-155418)", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      yield* taskGroup(function* (tg) {
        tg.createTask(
          function* () {
            tg.cancel();
            try {
              yield* sleep(100);
            } catch (error) {
              log.push(`child ${String(error)} at ${loop.time()}`);
              throw error;
            }
          },
          { eager: true },
        );
        yield* sleep(1000);
      });
      log.push(`group over at ${loop.time()}`);
      return log;
    });
    expect(out).toEqual(["child CancelledError at 0", "group over at 0"]);
  });

  it("cancels a sibling once when a child fails: the sibling's cleanup may wait to its end", async () => {
    // The failure cancels the sibling and the body; the body's exit must not cancel the
    // sibling again, which would cut its cleanup short (asyncio: _abort() only if not aborting).
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const ended = yield* outcome(() =>
        taskGroup(function* (tg) {
          tg.createTask(function* () {
            try {
              yield* sleep(100);
            } finally {
              log.push(`sibling cleanup: ${yield* outcome(() => sleep(5, "waited"))}, cancelling() ${currentTask()!.cancelling()}`);
            }
          });
          tg.createTask(failAfter(1, "child failed"));
          yield* sleep(100);
        }),
      );
      return [log, ended, getRunningLoop().time()];
    });
    expect(out).toEqual([["sibling cleanup: value: waited, cancelling() 1"], "ExceptionGroup", 6]);
  });

  it("tg.cancel() after the group has finished does nothing: the task that ran it goes on", async () => {
    const out = await runVirtual(core, function* () {
      let group!: TaskGroup;
      yield* taskGroup(function* (tg) {
        group = tg;
        tg.createTask(sleep(1));
      });
      group.cancel();
      return [yield* outcome(() => sleep(10, "slept")), currentTask()!.cancelling()];
    });
    expect(out).toEqual(["value: slept", 0]);
  });

  it("must be used inside a task", () => {
    expect(() => taskGroup(function* () {}).next()).toThrow(RuntimeError);
  });
});
