#!/usr/bin/env bash
# Sync benchmarks over loopback, with real `qun serve` and `qun sync` processes:
#   1. full sync of CHANGES changes (default 100,000) into an empty store, median of RUNS,
#      next to pycrdt (Yrs) encoding, applying and writing the same records and field writes;
#   2. a full sync of BIG changes (default 1,000,000) into an empty store: time, peak RSS of
#      client and server, and the change log's bytes per change on the receiving side;
#   3. exactly 10 new changes synced on that BIG store vs on an empty one (median of RUNS
#      rounds): incremental cost should follow the delta, not the store.
#
#   bash bench/sync-bench.sh [CHANGES] [BIG]
#
# `scripts/bench.sh` runs it with everything set up; run alone, it builds release binaries
# itself and skips the pycrdt baseline unless QUN_BENCH_PYTHON names a Python with pycrdt.
# Environment: QUN_BENCH_BIN (directory holding release `qun` and `qun-bench`),
# QUN_BENCH_RUNS (default 5), QUN_BENCH_SUMMARY (a file to append summary rows to),
# QUN_BENCH_PYTHON. Writes only into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
changes="${1:-100000}"
big="${2:-1000000}"
runs="${QUN_BENCH_RUNS:-5}"
summary="${QUN_BENCH_SUMMARY:-/dev/null}"
python="${QUN_BENCH_PYTHON:-}"
if [ -z "${QUN_BENCH_BIN:-}" ]; then
    swift build -c release --scratch-path .build-release --product qun >&2
    swift build -c release --scratch-path .build-release --product qun-bench >&2
    QUN_BENCH_BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)"
fi
qun="$QUN_BENCH_BIN/qun"
bench="$QUN_BENCH_BIN/qun-bench"
here="$(pwd)/bench"
work="$(mktemp -d)"
servers=()
cleanup() {
    local pid
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

source "$here/serve.sh"

# Peak RSS (VmHWM) of the running server $1, in MiB.
server_peak() { echo $(( $(awk '/VmHWM/ {print $2}' "/proc/$1/status") / 1024 )); }

stop_server() { kill "$1"; wait "$1" 2>/dev/null || true; }

# Runs `qun sync PEER` for store $1; prints "seconds peak-MiB received".
timed_sync() {
    local start end kb
    start="$(date +%s%N)"
    /usr/bin/time -f "%M" -o "$work/time" "$qun" --store "$1" sync "$2" --json > "$work/sync.json"
    end="$(date +%s%N)"
    kb="$(tail -n1 "$work/time")"
    echo "$(( (end - start) / 1000 )) $((kb / 1024)) $(received "$work/sync.json")" |
        awk '{printf "%.6f %d %d\n", $1 / 1e6, $2, $3}'
}

received() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d[0] if isinstance(d,list) else d; print(d["received"])' "$1"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
maximum() { sort -g | tail -n1; }
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$summary"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }

# 1. Full sync of CHANGES changes into an empty store, RUNS times, vs pycrdt.
"$bench" make-store "$work/source" --changes "$changes" >&2
invite="$("$qun" --store "$work/source" team invite)"
serve "$qun" "$work/source"
times=(); client=()
for run in $(seq 1 "$runs"); do
    "$qun" --store "$work/target-$run" init --name "target$run" --join "$invite" --no-snapshot > /dev/null
    "$qun" --store "$work/target-$run" peer add source "$url" > /dev/null
    read -r seconds mib got <<< "$(timed_sync "$work/target-$run" source)"
    echo "  full sync run $run: $got changes in $seconds s (client peak $mib MiB)"
    times+=("$seconds"); client+=("$mib")
    # Each target also sends its own few changes (its operator record), so only the last
    # one ends up holding exactly what the source holds.
    [ "$run" -gt 1 ] && rm -rf "$work/target-$((run - 1))"
done
server_mib="$(server_peak "$server_pid")"
stop_server "$server_pid"
cmp <("$qun" --store "$work/source" export) <("$qun" --store "$work/target-$runs" export) > /dev/null && same=identical || same=DIFFERENT
full="$(printf '%s\n' "${times[@]}" | median)"
client_mib="$(printf '%s\n' "${client[@]}" | maximum)"
echo "full sync (qun serve + qun sync over 127.0.0.1): $got changes, median of $runs: $full s (client peak $client_mib MiB, server peak $server_mib MiB), exports $same"
"$bench" storage "$work/target-$runs" | sed -n 1p | sed 's/^/  received store: /'
if [ "$same" != identical ]; then echo "full sync: the two stores differ" >&2; exit 1; fi
if [ -n "$python" ]; then
    "$qun" --store "$work/source" export --format json > "$work/export.json"
    "$python" "$here/pycrdt_sync.py" "$work/export.json" --runs "$runs" --dir "$work" | tee "$work/pycrdt.out" | grep -v '^result'
    read -r _ yrs _ _ _ writes _ _ _ < <(grep '^result' "$work/pycrdt.out")
    echo "full sync vs pycrdt: qun $full s for $got changes, pycrdt $yrs s for $writes field writes: ratio $(ratio "$full" "$yrs")"
    row "full sync, $got changes (qun over HTTP) vs $writes writes (pycrdt)" "$full" "$yrs" "pycrdt encode+apply+write" s
else
    echo "full sync vs pycrdt: skipped (set QUN_BENCH_PYTHON to a Python with pycrdt, or use scripts/bench.sh)"
fi
row "full sync, client peak RSS" "$client_mib" "" "" MiB
row "full sync, server peak RSS" "$server_mib" "" "" MiB
rm -rf "$work/source" "$work/target-$runs"

# 2 and 3. A store of BIG changes and an empty one, each with a peer that first syncs all of
# it (timed: that is the big full sync). Then RUNS rounds of exactly 10 new changes, the two
# stores taking turns so that whatever else the machine does weighs on both alike.
peer_of() {
    local name="$1" size="$2" seconds mib got
    "$bench" make-store "$work/$name-a" --changes "$size" >&2
    "$qun" --store "$work/$name-b" init --name b --join "$("$qun" --store "$work/$name-a" team invite)" --no-snapshot > /dev/null
    serve "$qun" "$work/$name-a"
    echo "$server_pid" > "$work/$name-pid"
    "$qun" --store "$work/$name-b" peer add a "$url" > /dev/null
    read -r seconds mib got <<< "$(timed_sync "$work/$name-b" a)"
    echo "$seconds $mib $got $(server_peak "$server_pid")" > "$work/$name-first"
}
# One new member (6 changes: number, name, role, status, joined, city), then edits of its
# city until the round holds exactly 10 changes; then the timed sync of those 10.
round_of_ten() {
    local name="$1" round="$2" id made seconds mib got
    id="$("$qun" --store "$work/$name-a" member add "增量$round" --city 杭州)"
    made="$("$qun" --store "$work/$name-a" history "$id" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
    for edit in $(seq "$((made + 1))" 10); do
        "$qun" --store "$work/$name-a" member edit "$id" --city "城市$round-$edit" > /dev/null
    done
    read -r seconds mib got <<< "$(timed_sync "$work/$name-b" a)"
    if [ "$got" != 10 ]; then echo "incremental round $round ($name) received $got changes, not 10" >&2; exit 1; fi
    echo "  incremental round $round, $name store: 10 changes in $seconds s (client peak $mib MiB)"
    echo "$seconds $mib" >> "$work/$name-rounds"
}
peer_of empty 0
peer_of big "$big"
for round in $(seq 1 "$runs"); do
    round_of_ten empty "$round"
    round_of_ten big "$round"
done
for name in empty big; do
    server_peak "$(cat "$work/$name-pid")" > "$work/$name-server"
    stop_server "$(cat "$work/$name-pid")"
done
read -r big_s big_client big_got big_server < "$work/big-first"
echo "full sync of a big store: $big_got changes in $big_s s (client peak $big_client MiB, server peak $big_server MiB)"
"$bench" storage "$work/big-b" | sed -n 1p | sed 's/^/  received store: /'
row "full sync, $big_got changes: time" "$big_s" "" "" s
row "full sync, $big_got changes: client peak RSS" "$big_client" "" "" MiB
row "full sync, $big_got changes: server peak RSS" "$big_server" "" "" MiB
read -r _ changes_n log_bytes payload_bytes < <("$bench" storage "$work/big-b" | grep '^result')
row "change log, bytes per change on disk" "$(awk -v l="$log_bytes" -v n="$changes_n" 'BEGIN {printf "%.1f", l / n}')" "" "" B
row "change log, metadata bytes per change (log - payload)" "$(awk -v l="$log_bytes" -v p="$payload_bytes" -v n="$changes_n" 'BEGIN {printf "%.1f", (l - p) / n}')" "" "" B
small_s="$(awk '{print $1}' "$work/empty-rounds" | median)"
big_inc="$(awk '{print $1}' "$work/big-rounds" | median)"
echo "incremental sync of 10 changes (median of $runs rounds): on an empty store $small_s s (client peak $(awk '{print $2}' "$work/empty-rounds" | maximum) MiB, server $(cat "$work/empty-server") MiB); on a store of $big_got changes $big_inc s (client peak $(awk '{print $2}' "$work/big-rounds" | maximum) MiB, server $(cat "$work/big-server") MiB): ratio $(ratio "$big_inc" "$small_s")"
row "incremental sync of 10 changes, store of $big_got vs empty store" "$big_inc" "$small_s" "same on an empty store" s
