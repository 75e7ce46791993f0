// A user's mistakes, which the compiler must refuse with the README's words: each line
// marked `error:` must get an error there that contains the marked text, and no other
// line may get one (scripts/check-package.mjs runs it with each supported TypeScript).
import { createTask, run, sleep, type Coroutine } from "wasyncio";

function* annotated(): Coroutine<void> {
  yield sleep(100); // error: an operation: yield* it, not yield
}

function* helper() {
  yield sleep(100); // an unannotated helper: the error is where it meets a task
}

createTask(helper()); // error: an operation: yield* it, not yield
await run(function* () { // error: a Future or Task: yield* it, not yield
  yield createTask(annotated());
});
