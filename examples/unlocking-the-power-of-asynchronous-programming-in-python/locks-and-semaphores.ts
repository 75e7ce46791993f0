/**
 * "Understanding Futures, Locks, and Semaphores". The article has no code for this
 * section, only two claims; this example (not the article's) shows both. Futures have
 * their own example in the "Asynchronous Programming in Python" article (`future`).
 *
 * "Locks ... ensuring that only one task can access a resource at a time": three
 * deposits each read a balance, wait 100 ms (a round trip to the bank), then write it
 * back plus one. Without a lock all three read 0 before any writes, and two deposits
 * are lost; with a Lock they take turns.
 *
 * "Semaphores ... allow multiple tasks to access a resource at the same time, up to a
 * certain limit": four downloads of 1 s each behind `Semaphore(2)`.
 *
 * ```python
 * async def deposit(account):
 *     balance = account["balance"]
 *     await asyncio.sleep(0.1)
 *     account["balance"] = balance + 1
 *
 * async def locked_deposit(lock, account):
 *     async with lock:
 *         await deposit(account)
 *
 * async def download(slots, running):
 *     async with slots:
 *         running["now"] += 1
 *         running["max"] = max(running["max"], running["now"])
 *         await asyncio.sleep(1)
 *         running["now"] -= 1
 *
 * async def main():
 *     account = {"balance": 0}
 *     await asyncio.gather(*(deposit(account) for _ in range(3)))
 *     print("without a lock: balance", account["balance"], "after 3 deposits")
 *
 *     lock, account = asyncio.Lock(), {"balance": 0}
 *     await asyncio.gather(*(locked_deposit(lock, account) for _ in range(3)))
 *     print("with a Lock: balance", account["balance"], "after 3 deposits")
 *
 *     slots, running = asyncio.Semaphore(2), {"now": 0, "max": 0}
 *     await asyncio.gather(*(download(slots, running) for _ in range(4)))
 *     print("Semaphore(2): 4 downloads, at most", running["max"], "at once")
 * ```
 *
 * Output:
 *
 * ```
 * without a lock: balance 1 after 3 deposits
 * with a Lock: balance 3 after 3 deposits
 * Semaphore(2): 4 downloads, at most 2 at once
 * ```
 *
 * Times: the unlocked deposits overlap (100 ms), the locked ones queue (300 ms), and
 * the downloads go two by two (2 × 1 s): exactly 2,400 ms in all.
 */
import { type Coroutine, gather, getRunningLoop, Lock, Semaphore, sleep } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";

interface Account {
  balance: number;
}

export function* deposit(account: Account): Coroutine<void> {
  const balance = account.balance;
  yield* sleep(100);
  account.balance = balance + 1;
}

export function* lockedDeposit(lock: Lock, account: Account): Coroutine<void> {
  yield* lock.with(() => deposit(account)); // async with lock:
}

interface Running {
  now: number;
  max: number;
}

export function* download(slots: Semaphore, running: Running): Coroutine<void> {
  yield* slots.with(function* () {
    // async with slots:
    running.now += 1;
    running.max = Math.max(running.max, running.now);
    yield* sleep(1000);
    running.now -= 1;
  });
}

/** Not in the article: the loop time after each part, for the tests. */
export type PartTimes = [unlocked: number, locked: number, semaphore: number];

export const example = coroutineExample({
  name: "locks-and-semaphores",
  title: "A Lock and a Semaphore (an illustration; no code in the article)",
  article: article.slug,
  section: "Understanding Futures, Locks, and Semaphores",
  explanation: "Unlocked read-wait-write deposits lose updates; a Lock serializes them; Semaphore(2) lets two downloads in at once.",
  main: function* (): Coroutine<PartTimes> {
    const loop = getRunningLoop();

    let account: Account = { balance: 0 };
    yield* gather([0, 1, 2].map(() => deposit(account)));
    print("without a lock: balance", account.balance, "after 3 deposits");
    const unlocked = loop.time();

    const lock = new Lock();
    account = { balance: 0 };
    yield* gather([0, 1, 2].map(() => lockedDeposit(lock, account)));
    print("with a Lock: balance", account.balance, "after 3 deposits");
    const locked = loop.time();

    const slots = new Semaphore(2);
    const running: Running = { now: 0, max: 0 };
    yield* gather([0, 1, 2, 3].map(() => download(slots, running)));
    print("Semaphore(2): 4 downloads, at most", running.max, "at once");

    return [unlocked, locked, loop.time()];
  },
});
