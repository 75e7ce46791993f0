"""Records how CPython's asyncio.staggered.staggered_race runs random races, for
wasyncio's staggeredRace to be compared with (test/staggered-race.test.ts replays them).

    python3.13 test/cpython/record_staggered.py     # writes test/cpython/staggered-traces.json
    SEED=7 RACES=1000 OUT=other.json python3.13 test/cpython/record_staggered.py

Each race is up to five bodies, each sleeping 0-12 ms and then returning or failing,
and a delay between starts (None for one after another, 0 for all at once). Times and
delays fall on the same few instants often, so that the ties between a failure, a
delay running out and a win are exercised. The races are not cancelled from outside:
there wasyncio deliberately differs (it waits for the bodies' cleanup).

Time is virtual, on record.py's loop (ties between timers broken in scheduling order,
as wasyncio breaks them), and its unit is wasyncio's millisecond.
"""

import asyncio
import json
import os
import random
import sys
from asyncio.staggered import staggered_race
from pathlib import Path

from record import VirtualLoop

SEED = int(os.environ.get("SEED", 20261204))
RACES = int(os.environ.get("RACES", 300))
OUT = Path(os.environ.get("OUT", Path(__file__).with_name("staggered-traces.json")))


def random_race(rng):
    bodies = [[rng.choice([0, 1, 2, 3, 5, 8, 12]), rng.random() < 0.5] for _ in range(rng.randint(0, 5))]
    return {"bodies": bodies, "delay": rng.choice([None, 0, 1, 2, 3, 5, 8])}


def error_name(error):
    return "null" if error is None else type(error).__name__ + (f"({error})" if str(error) else "")


def record(race):
    """The race's trace: each body's start, end or cancellation, then the race's result."""
    loop = VirtualLoop()
    trace = []

    def log(line):
        trace.append(f"{loop.time():g} {line}")

    def body(index, ms, fails):
        async def run():
            log(f"b{index} starts")
            try:
                await asyncio.sleep(ms)
            except asyncio.CancelledError:
                log(f"b{index} cancelled")
                raise
            if fails:
                log(f"b{index} fails")
                raise ValueError(f"b{index}")
            log(f"b{index} returns")
            return f"r{index}"

        return run

    async def main():
        bodies = [body(index, ms, fails) for index, (ms, fails) in enumerate(race["bodies"])]
        result, index, errors = await staggered_race(bodies, race["delay"])
        log(f"result {result} index {index} errors [{', '.join(error_name(e) for e in errors)}]")

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    return trace


def main():
    if sys.version_info[:2] != (3, 13):
        sys.exit(f"record with CPython 3.13 (this is {sys.version.split()[0]})")
    rng = random.Random(SEED)
    races = [random_race(rng) for _ in range(RACES)]
    recorded = [{"race": race, "trace": record(race)} for race in races]
    OUT.write_text(json.dumps({"python": sys.version.split()[0], "seed": SEED, "races": recorded}) + "\n")
    print(f"{len(recorded)} races recorded in {OUT.name}")


if __name__ == "__main__":
    main()
