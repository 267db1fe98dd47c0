#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md in one run, each qun figure next to its baseline measured
# in the same run, ending with a table of ratios:
#   bulk write     100k members through qun vs raw SQLite (same rows; plain rows)
#   bundle apply   100k changes vs raw SQLite inserting the same rows
#   CSV import     100k rows through `qun import members` vs raw SQLite (own table, not summed up)
#   sync           100k changes over loopback HTTP vs pycrdt (Yrs) encode+apply+write
#   incremental    10 changes on a 1M-change store vs on an empty store
#   storage        change log bytes per change; peak RSS of a 1M-change sync
#   CLI latency    qun vs Taskwarrior on 10k records
#
#   bash scripts/bench.sh            # full sizes, medians of 5 runs (20 for the CLI)
#   bash scripts/bench.sh --quick    # small sizes, 3 runs: a smoke test
#
# Installs what is missing (Taskwarrior with apt-get, pycrdt into a temporary venv), builds
# release binaries into .build-release (or measures those in $QUN_BENCH_BIN), and writes
# nothing else into the checkout. Not part of the test run: figures are measured on demand,
# never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
for argument in "$@"; do
    case "$argument" in
        --quick) quick=true ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown argument $argument (try --quick or --help)" >&2; exit 2 ;;
    esac
done
if $quick; then
    members=10000 changes=10000 big=100000 records=1000 runs=3 invocations=5
else
    members=100000 changes=100000 big=1000000 records=10000 runs=5 invocations=20
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PYTHONDONTWRITEBYTECODE=1

# What the baselines need.
missing=()
command -v task > /dev/null || missing+=(taskwarrior)
[ -x /usr/bin/time ] || missing+=(time)
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3 python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}…" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2
    else sudo apt-get update -qq >&2 && sudo apt-get install -y -qq "${missing[@]}" >&2; fi
fi
echo "installing pycrdt into a temporary venv…" >&2
python3 -m venv "$work/venv" >&2
"$work/venv/bin/pip" install -q --disable-pip-version-check pycrdt >&2

# Builds a release product; a source saved while the compiler read it is built again.
build() {
    local attempt
    for attempt in 1 2 3 4 5; do
        if swift build -c release --scratch-path .build-release --product "$1" > "$work/build.log" 2>&1; then return 0; fi
        grep -q 'was modified during the build' "$work/build.log" || break
        sleep 5
    done
    grep -E 'error' "$work/build.log" >&2 || tail -n 20 "$work/build.log" >&2
    echo "bench.sh: building $1 failed" >&2
    exit 1
}
if [ -n "${QUN_BENCH_BIN:-}" ]; then
    bin="$QUN_BENCH_BIN"   # release binaries built already: measure those
else
    echo "building release binaries into .build-release…" >&2
    build qun
    build qun-bench
    bin="$(swift build -c release --scratch-path .build-release --show-bin-path)"
fi

summary="$work/summary.tsv"
: > "$summary"
export QUN_BENCH_BIN="$bin" QUN_BENCH_RUNS="$runs" QUN_BENCH_SUMMARY="$summary" QUN_BENCH_PYTHON="$work/venv/bin/python"

echo "qun benchmarks — $(date -u +%Y-%m-%dT%H:%MZ)$($quick && echo ' — quick')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "toolchain: $(swift --version 2>/dev/null | head -n1)"
echo "$("$bin/qun-bench" versions); pycrdt $("$work/venv/bin/pip" show pycrdt | awk '/^Version/ {print $2}'); Taskwarrior $(task --version)"
echo

echo "== bulk write and bundle apply"
"$bin/qun-bench" --members "$members" --changes "$changes" --runs "$runs" --summary "$summary"
echo
echo "== CSV import"
"$bin/qun-bench" import-csv --rows "$members" --runs "$runs"
echo
echo "== sync"
bash bench/sync-bench.sh "$changes" "$big"
echo
echo "== command-line latency"
bash bench/cli-bench.sh "$records" "$invocations"
echo

echo "== summary (medians; ratio = qun / baseline, below 1 means qun is faster)"
python3 - "$summary" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]

def show(value, unit):
    if value in ("", "pending"):
        return value or "–"
    number = float(value)
    if unit == "s":
        return f"{number * 1000:.1f} ms" if number < 1 else f"{number:.2f} s"
    return f"{number:g} {unit}"

table = [("what", "qun", "baseline", "", "ratio")]
for what, ours, theirs, baseline, unit in rows:
    ratio = f"{float(ours) / float(theirs):.2f}x" if theirs and ours != "pending" else ""
    table.append((what, show(ours, unit), show(theirs, unit), baseline, ratio))
widths = [max(len(row[column]) for row in table) for column in range(5)]
for row in table:
    print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
EOF
