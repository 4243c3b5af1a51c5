"""Start-up: ``searchlib search Korsel`` (the bundled seeds) in a new process, against its floors.

Each command runs ``--runs`` times in turn (the commands alternate, so a slow spell of the
machine hits them alike); medians and p90 of the wall time are printed. The floors are a bare
interpreter and the import of the Whoosh modules every search needs: no searchlib start-up can
be faster than the second. The seed index is built once before timing (its cache entry).

    python benchmarks/startup.py
    python benchmarks/startup.py --runs 30 --searchlib-src /tmp/clean-clone
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WHOOSH_IMPORTS = (
    "import whoosh.index, whoosh.qparser, whoosh.searching, whoosh.scoring, whoosh.highlight"
)


def _commands(python: str) -> dict[str, list[str]]:
    return {
        "python -c pass": [python, "-c", "pass"],
        "import whoosh (floor)": [python, "-c", WHOOSH_IMPORTS],
        "import searchlib": [python, "-c", "import searchlib"],
        "searchlib search Korsel": [python, "-m", "searchlib", "search", "Korsel"],
        "searchlib search Korsel --json": [python, "-m", "searchlib", "search", "Korsel", "--json"],
    }


def _time(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--searchlib-src", type=Path, default=REPO)
    args = parser.parse_args(argv)
    env = dict(os.environ)
    paths = [str(args.searchlib_src), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode caches, as an installed package has
    commands = _commands(sys.executable)
    # In the source tree: ``python -m`` and ``-c`` put the working directory first on the path,
    # before PYTHONPATH, so run anywhere else they could import another checkout's searchlib.
    cwd = args.searchlib_src
    for command in commands.values():  # compile bytecode, build the seed index's cache entry
        _time(command, env, cwd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_time(command, env, cwd))
    floor = statistics.median(times["import whoosh (floor)"])
    print(f"{args.runs} runs each, alternating; wall time of a new process")
    print()
    print("| command | median s | p90 s | x Whoosh import |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        values.sort()
        median = statistics.median(values)
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(f"| {name} | {median:.3f} | {p90:.3f} | {median / floor:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
