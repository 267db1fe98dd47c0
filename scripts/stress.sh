#!/usr/bin/env bash
# The long convergence-under-faults run (RELIABILITY.md): builds qun and qun-stress, copies
# both aside (so a rebuild of the tree cannot swap the binary mid-run), and runs
#
#   qun-stress --replicas 4 --ops 2000 [--seed S] [more qun-stress options]
#
#   bash scripts/stress.sh                      # seed from the clock, printed first
#   bash scripts/stress.sh --seed 424242        # replay
#   bash scripts/stress.sh --replicas 6 --ops 5000 --json
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product qun >&2
swift build --product qun-stress >&2
bin=$(mktemp -d "${TMPDIR:-/tmp}/qun-stress-bin.XXXXXX")
trap 'rm -rf "$bin"' EXIT
cp .build/debug/qun .build/debug/qun-stress "$bin/"
replicas=(--replicas 4)
ops=(--ops 2000)
for argument in "$@"; do
    case "$argument" in
        --replicas) replicas=() ;;
        --ops) ops=() ;;
    esac
done
"$bin/qun-stress" "${replicas[@]}" "${ops[@]}" --qun "$bin/qun" "$@"
