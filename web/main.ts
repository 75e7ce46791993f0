// Runs a small program in the page and prints what happened, in virtual time.
import { createTask, gather, getRunningLoop, run, sleep } from "../src/index.ts";

const out = document.getElementById("out")!;
const print = (line: string): void => void (out.textContent += line + "\n");

function* worker(name: string, ms: number) {
  yield* sleep(ms);
  print(`${name} done at ${getRunningLoop().time()} ms`);
  return name;
}

void run(
  function* () {
    print(`core: ${getRunningLoop().core}`);
    const names = yield* gather([createTask(worker("a", 300)), createTask(worker("b", 100))]);
    print(`gathered ${names.join(", ")}`);
  },
  { clock: "virtual" },
);
