"""How long the answer checker takes on arbitrary text: the worst case a student's message can cost.

The checker's limits (size, nesting, powers; src/answers/) bound its work; this measures what that bound is
in seconds on this machine, over random text of the kinds tests/answers/test_answers_properties.py feeds it
(any Unicode, and "mathy" text from digits of both scripts, operators and letters), against the same
canonical answers. A speed target belongs here rather than in a test: a loaded machine would fail a timed
test with no fault in the code. It counts the CPU time of this process (time.process_time), which the other
work on a shared machine does not inflate as it does wall time.

    .venv/bin/python -m bench.checker_bench                 # 3 000 texts, seed 1; exit 1 if max >= 0.5 s
    .venv/bin/python -m bench.checker_bench --texts 20000 --seed 7
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from src.answers.check import check_answer

CANONICALS = ["12", "3/4", "1 1/2", "0.75", "25%", "৳120", "x = 5", "2x + 6", "(x + 3)(x - 3)", "(2, 3)"]
MATHY = list("0123456789০১২৩৪৫৬৭৮৯+-*/^()[]{}=,.% xyzab৳²³−×÷½ \n")
TARGET_SECONDS = 0.5


def random_text(rng: random.Random) -> str:
    length = rng.randint(0, 600)
    if rng.random() < 0.5:
        return "".join(rng.choice(MATHY) for _ in range(length))
    return "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(length))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    check_answer("1/2", "0.5")  # sympy's caches, as a running server has them
    times: list[tuple[float, str]] = []
    for _ in range(args.texts):
        text, canonical = random_text(rng), rng.choice(CANONICALS)
        start = time.process_time()
        check_answer(text, canonical)
        times.append((time.process_time() - start, text))
    seconds = sorted(t for t, _ in times)
    worst, worst_text = max(times)
    p99 = seconds[int(0.99 * (len(seconds) - 1))]
    print(
        f"checker CPU time on {len(times)} random texts: median {statistics.median(seconds) * 1e3:.2f} ms, "
        f"p99 {p99 * 1e3:.2f} ms, max {worst * 1e3:.1f} ms (target < {TARGET_SECONDS * 1e3:.0f} ms)"
    )
    print(f"slowest text starts {worst_text[:60]!r}")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
