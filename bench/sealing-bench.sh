#!/usr/bin/env bash
# What sealing costs: the same full sync and the same bundle export + import, run by two qun
# builds in turns in one run, so that the machine's noise weighs on both alike:
#   before  a qun of the last release (clear pages, HMAC only), built from GIT_REF
#   after   this checkout (every page, answer, snapshot and bundle sealed)
# Both work on copies of one store of CHANGES changes (default 100,000) made by qun-bench.
#
#   bash bench/sealing-bench.sh [CHANGES] [GIT_REF]     # GIT_REF: default the parent of the
#                                                        # commit that introduced sealing
# Environment: QUN_BENCH_RUNS (default 5), QUN_BEFORE_BIN / QUN_BENCH_BIN (directories with
# release binaries, to skip the builds). Builds into .build-release and .build-before (a
# git worktree under a temporary directory); writes nothing else into the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
changes="${1:-100000}"
ref="${2:-$(git log --format=%H --diff-filter=A -- Sources/QunSync/Protocol/SealedEnvelope.swift | tail -n1)~1}"
runs="${QUN_BENCH_RUNS:-5}"
work="$(mktemp -d)"
here="$(pwd)/bench"
servers=()
cleanup() {
    local pid
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ -d "$work/before-src" ]; then git worktree remove --force "$work/before-src" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${QUN_BENCH_BIN:-}" ]; then
    swift build -c release --scratch-path .build-release --product qun >&2
    swift build -c release --scratch-path .build-release --product qun-bench >&2
    QUN_BENCH_BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)"
fi
if [ -z "${QUN_BEFORE_BIN:-}" ]; then
    git worktree add --detach "$work/before-src" "$ref" >&2
    swift build -c release --package-path "$work/before-src" --scratch-path "$(pwd)/.build-before" --product qun >&2
    QUN_BEFORE_BIN="$(swift build -c release --package-path "$work/before-src" --scratch-path "$(pwd)/.build-before" --show-bin-path)"
fi
bench="$QUN_BENCH_BIN/qun-bench"
declare -A qun=([before]="$QUN_BEFORE_BIN/qun" [after]="$QUN_BENCH_BIN/qun")

source "$here/serve.sh"
seconds() { awk -v s="$1" -v e="$2" 'BEGIN {printf "%.4f", (e - s) / 1e9}'; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

"$bench" make-store "$work/source" --changes "$changes" >&2
"$bench" seal "$work/source" --runs "$runs" | tee "$work/seal.out" | grep -v '^result' >&2
invite="$("${qun[after]}" --store "$work/source" team invite)"
for side in before after; do
    cp -a "$work/source" "$work/source-$side"
    serve "${qun[$side]}" "$work/source-$side"
    echo "$url" > "$work/url-$side"
done

for run in $(seq 1 "$runs"); do
    for side in before after; do
        q="${qun[$side]}"
        target="$work/target-$side-$run"
        "$q" --store "$target" init --name "t$run" --join "$invite" --no-snapshot > /dev/null
        start="$(date +%s%N)"
        "$q" --store "$target" sync "$(cat "$work/url-$side")" --json > "$work/sync.json"
        end="$(date +%s%N)"
        got="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print((d[0] if isinstance(d,list) else d)["received"])' "$work/sync.json")"
        echo "$(seconds "$start" "$end") $got" >> "$work/sync-$side"

        bundle="$work/bundle-$side-$run.qunb"
        start="$(date +%s%N)"
        "$q" --store "$work/source-$side" bundle export "$bundle" > /dev/null
        end="$(date +%s%N)"
        echo "$(seconds "$start" "$end") $(stat -c %s "$bundle")" >> "$work/export-$side"
        fresh="$work/fresh-$side-$run"
        "$q" --store "$fresh" init --name "f$run" --join "$invite" --no-snapshot > /dev/null
        start="$(date +%s%N)"
        "$q" --store "$fresh" bundle import "$bundle" > /dev/null
        end="$(date +%s%N)"
        echo "$(seconds "$start" "$end")" >> "$work/import-$side"
        cmp <("$q" --store "$target" export) <("$q" --store "$work/source-$side" export) > /dev/null \
            || { echo "$side run $run: the synced store differs from the source" >&2; exit 1; }
        echo "  run $run, $side: sync $(tail -n1 "$work/sync-$side"), bundle export $(tail -n1 "$work/export-$side"), import $(tail -n1 "$work/import-$side")" >&2
        rm -rf "$target" "$fresh" "$bundle"
    done
done

row() {
    local what="$1" file="$2"
    local b a
    b="$(awk '{print $1}' "$work/$file-before" | median)"
    a="$(awk '{print $1}' "$work/$file-after" | median)"
    printf '| %s | %s s | %s s | %s |\n' "$what" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%+.1f %%", (a / b - 1) * 100}')"
}
got="$(awk 'NR==1 {print $2}' "$work/sync-after")"
echo
echo "sealing, $got changes, median of $runs runs each, before = $ref, after = this checkout"
echo "| what | before (clear) | after (sealed) | cost of sealing |"
echo "|---|---|---|---|"
row "full sync over loopback (qun serve + qun sync), into an empty store" sync
row "bundle export, all changes" export
row "bundle import into an empty store" import
read -r _ _ encode_s seal_s open_s seal_bytes < <(grep '^result' "$work/seal.out")
printf '| in process: every page of the full sync sealed (server) and opened (client) | encoding the pages alone: %s s | + seal %s s + open %s s | %s of the full sync (before) |\n' \
    "$encode_s" "$seal_s" "$open_s" "$(awk -v s="$seal_s" -v o="$open_s" -v f="$(awk '{print $1}' "$work/sync-before" | median)" 'BEGIN {printf "%.1f %%", (s + o) / f * 100}')"
printf '| bundle size | %s bytes | %s bytes | %s |\n' "$(awk 'NR==1 {print $2}' "$work/export-before")" "$(awk 'NR==1 {print $2}' "$work/export-after")" \
    "$(awk -v a="$(awk 'NR==1 {print $2}' "$work/export-after")" -v b="$(awk 'NR==1 {print $2}' "$work/export-before")" 'BEGIN {printf "%+.2f %%", (a / b - 1) * 100}')"
