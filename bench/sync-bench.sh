#!/usr/bin/env bash
# Sync benchmarks over loopback, with real `qun serve` and `qun sync` processes:
#   1. N changes from one store into an empty one (default 100,000);
#   2. 10 new changes synced on a store holding BIG changes (default 1,000,000) vs on an
#      almost empty one: incremental cost should follow the delta, not the store.
# Prints wall time and peak RSS of both processes. Usage:
#   bash bench/sync-bench.sh [CHANGES] [BIG]
set -euo pipefail
cd "$(dirname "$0")/.."
changes="${1:-100000}"
big="${2:-1000000}"
scratch="${QUN_BENCH_SCRATCH:-.build}"
swift build -c release --scratch-path "$scratch" --product qun >&2
swift build -c release --scratch-path "$scratch" --product qun-bench >&2
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
qun="$bin/qun"
bench="$bin/qun-bench"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Starts `qun serve` on a free port for store $1; sets server_pid and url.
serve() {
    "$qun" --store "$1" serve --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
    server_pid=$!
    for _ in $(seq 1 200); do
        url="$(grep -o 'http://[0-9.:]*' "$work/serve.out" || true)"
        [ -n "$url" ] && return 0
        sleep 0.05
    done
    echo "qun serve did not start: $(cat "$work/serve.err")" >&2; exit 1
}

# Peak RSS (VmHWM) of the server, in MiB, then stops it.
stop_server() {
    local hwm
    hwm="$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    server_pid=""
    echo $((hwm / 1024))
}

# Runs `qun sync PEER` for store $1 and prints "seconds peak-MiB".
timed_sync() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$qun" --store "$1" sync "$2" --json > "$work/sync.json"
    read -r seconds kb < "$work/time"
    echo "$seconds $((kb / 1024))"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

# 1. Full sync of N changes into an empty store.
"$bench" make-store "$work/source" --changes "$changes" >&2
invite="$("$qun" --store "$work/source" team invite)"
"$qun" --store "$work/target" init --name target --join "$invite" --no-snapshot > /dev/null
serve "$work/source"
"$qun" --store "$work/target" peer add source "$url" > /dev/null
read -r seconds client_mib <<< "$(timed_sync "$work/target" source)"
server_mib="$(stop_server)"
received="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d[0] if isinstance(d,list) else d; print(d["received"])' "$work/sync.json")"
cmp <("$qun" --store "$work/source" export) <("$qun" --store "$work/target" export) > /dev/null && same=identical || same=DIFFERENT
echo "full sync: $received changes in $seconds s (client peak $client_mib MiB, server peak $server_mib MiB), exports $same"

# 2. Incremental: 10 changes on a big store vs on a small one.
incremental() {
    local name="$1" size="$2"
    "$bench" make-store "$work/$name-a" --changes "$size" >&2
    "$qun" --store "$work/$name-b" init --name b --join "$("$qun" --store "$work/$name-a" team invite)" --no-snapshot > /dev/null
    serve "$work/$name-a"
    "$qun" --store "$work/$name-b" peer add a "$url" > /dev/null
    "$qun" --store "$work/$name-b" sync a > /dev/null   # bring b up to date first
    # Five rounds of two new members (2 x 7 changes) each; the median round counts.
    local times=() mib=0 seconds m
    for round in 1 2 3 4 5; do
        for i in 1 2; do "$qun" --store "$work/$name-a" member add "新人$round-$i" --tag 增量 > /dev/null; done
        read -r seconds m <<< "$(timed_sync "$work/$name-b" a)"
        times+=("$seconds")
        [ "$m" -gt "$mib" ] && mib="$m"
    done
    local server median
    server="$(stop_server)"
    median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
    echo "$median $mib $server"
}
read -r small_s small_mib small_srv <<< "$(incremental small 10)"
read -r big_s big_mib big_srv <<< "$(incremental big "$big")"
echo "incremental sync of 14 new changes (median of 5): on a store of ~10 changes $small_s s (client $small_mib MiB, server $small_srv MiB); on a store of ~$big changes $big_s s (client $big_mib MiB, server $big_srv MiB); ratio $(python3 -c "print(f'{$big_s/$small_s:.2f}x')")"
