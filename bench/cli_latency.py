"""Wall time of one command-line invocation, median of N, for the CLI latency figures.

Both qun and its baseline are started the same way (fork + exec, output to /dev/null, no
shell), so process start-up, which dominates at this size, counts equally on both sides.

    python cli_latency.py --runs 20 -- COMMAND ARG...

`{i}` in an argument becomes the invocation's number, so writes do not repeat one title.
The last line is machine-readable: `result MEDIAN_SECONDS MIN_SECONDS MAX_SECONDS`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE added to the environment")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command
    if not command:
        raise SystemExit("cli_latency: no command given")

    environment = dict(os.environ)
    for pair in arguments.env:
        name, _, value = pair.partition("=")
        environment[name] = value

    times = []
    for run in range(arguments.runs):
        argv = [part.replace("{i}", str(run + 1)) for part in command]
        start = time.perf_counter()
        finished = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
        times.append(time.perf_counter() - start)
        if finished.returncode != 0:
            sys.stderr.write(finished.stderr.decode(errors="replace"))
            raise SystemExit(f"cli_latency: {' '.join(argv)} exited {finished.returncode}")
    print(f"result {statistics.median(times):.6f} {min(times):.6f} {max(times):.6f}")


if __name__ == "__main__":
    main()
