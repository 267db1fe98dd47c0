#!/usr/bin/env bash
# Command-line latency on RECORDS records (default 10,000), qun next to Taskwarrior on the
# same data size, median of INVOCATIONS runs each (default 20; process start-up dominates):
#   qun task add                  vs  task add
#   qun member list --json        vs  task export
#
#   bash bench/cli-bench.sh [RECORDS] [INVOCATIONS]
#
# qun's store holds RECORDS members (made by `qun-bench make-store --members`); Taskwarrior
# gets RECORDS pending tasks through `task import`, in a throwaway TASKDATA and TASKRC.
# Environment as for bench/sync-bench.sh (QUN_BENCH_BIN, QUN_BENCH_SUMMARY). Needs
# Taskwarrior (`task`); `scripts/bench.sh` installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-10000}"
invocations="${2:-20}"
summary="${QUN_BENCH_SUMMARY:-/dev/null}"
if [ -z "${QUN_BENCH_BIN:-}" ]; then
    swift build -c release --scratch-path .build-release --product qun >&2
    swift build -c release --scratch-path .build-release --product qun-bench >&2
    QUN_BENCH_BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)"
fi
qun="$QUN_BENCH_BIN/qun"
bench="$QUN_BENCH_BIN/qun-bench"
latency="$(pwd)/bench/cli_latency.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v task > /dev/null || { echo "cli-bench: Taskwarrior (task) is not installed: apt-get install taskwarrior" >&2; exit 1; }

row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$summary"; }
count() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
# Median seconds of INVOCATIONS runs of the command given.
measure() { python3 "$latency" --runs "$invocations" -- "$@" | awk '/^result/ {print $2}'; }
milliseconds() { awk -v s="$1" 'BEGIN {printf "%.1f ms", s * 1000}'; }
compare() {
    local what="$1" ours="$2" theirs="$3" baseline="$4"
    echo "  $what: qun $(milliseconds "$ours"), $baseline $(milliseconds "$theirs"), ratio $(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2fx", a / b}')"
    row "$what" "$ours" "$theirs" "$baseline" s
}

# The two data sets.
"$bench" make-store "$work/store" --members "$records" >&2
export TASKDATA="$work/taskdata" TASKRC="$work/taskrc"
mkdir -p "$TASKDATA"; : > "$TASKRC"
tw=(task rc.confirmation=off rc.verbose=nothing)
python3 - "$records" > "$work/tasks.json" <<'EOF'
import json, sys, uuid
cities = ["杭州", "上海", "北京", "深圳", "成都", "广州", "南京", "武汉"]
tags = ["content", "sop", "event", "review"]
print(json.dumps([{
    "uuid": str(uuid.UUID(int=index + 1)),
    "description": f"运营任务{index} {cities[index % len(cities)]}早报推送",
    "status": "pending",
    "entry": "20261101T080000Z",
    "due": f"202612{1 + index % 28:02d}T000000Z",
    "project": "community",
    "tags": [tags[index % len(tags)]],
} for index in range(int(sys.argv[1]))], ensure_ascii=False))
EOF
"${tw[@]}" import "$work/tasks.json" > /dev/null 2>&1
members="$("$qun" --store "$work/store" member list --json | count)"
tasks="$("${tw[@]}" export | count)"
echo "cli latency: qun store of $members members, Taskwarrior $(task --version) with $tasks tasks; median of $invocations invocations"
[ "$members" = "$records" ] && [ "$tasks" = "$records" ] || { echo "cli-bench: data sets are not $records records" >&2; exit 1; }

# Each qun command runs twice: on the store as qun leaves it (after the bulk write that made
# it, its write-ahead log holds the whole store, and a new process recovers that log when it
# opens the file), then after a checkpoint has folded the log into the database file.
has_task_add=false
"$qun" task add --help 2>&1 | grep -q 'USAGE: qun task add' && has_task_add=true
qun_list() { measure "$qun" --store "$work/store" member list --json; }
qun_add() { measure "$qun" --store "$work/store" task add "周报 {i}" --due tomorrow --tag content; }
echo "  write-ahead log of the qun store: $(stat -c %s "$work/store/store.sqlite-wal" 2>/dev/null || echo 0) bytes"
list_as_left="$(qun_list)"
$has_task_add && add_as_left="$(qun_add)"
"$bench" checkpoint "$work/store" | sed 's/^/  checkpoint: /'
list_checkpointed="$(qun_list)"
$has_task_add && add_checkpointed="$(qun_add)"
export_s="$(measure "${tw[@]}" export)"
$has_task_add && task_add_s="$(measure "${tw[@]}" add "周报 {i}" due:tomorrow +content)"

compare "list $records records as JSON (qun member list --json vs task export)" "$list_as_left" "$export_s" "task export"
compare "  the same, qun's log checkpointed first" "$list_checkpointed" "$export_s" "task export"
if $has_task_add; then
    compare "add one task on $records records (qun task add vs task add)" "$add_as_left" "$task_add_s" "task add"
    compare "  the same, qun's log checkpointed first" "$add_checkpointed" "$task_add_s" "task add"
else
    echo "  add one task: pending (this qun has no \`task add\` yet)"
    row "add one task (qun task add vs task add)" "pending" "" "task add" s
fi
