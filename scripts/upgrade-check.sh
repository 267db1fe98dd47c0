#!/usr/bin/env bash
# Checks this qun against the last release, as real processes: a store, an invite and a bundle
# of the old release keep working here; across the two versions, sync and bundles refuse with
# a sentence that says which laptop to upgrade, and never fall back to clear text.
#
#   bash scripts/upgrade-check.sh [GIT_REF]   # default: the release before sealed sync
#
# Builds the old release (release mode, about 10 minutes on two cores) into .build-before
# unless QUN_BEFORE_BIN names a directory holding its `qun`; QUN_BINARY is this qun (default
# .build/debug/qun). Not part of `swift test`: it needs a second build of the whole tree.
set -euo pipefail
cd "$(dirname "$0")/.."
ref="${1:-$(git log --format=%H --diff-filter=A -- Sources/QunSync/Protocol/SealedEnvelope.swift | tail -n1)~1}"
new="${QUN_BINARY:-$(pwd)/.build/debug/qun}"
work="$(mktemp -d)"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ -d "$work/old-src" ]; then git worktree remove --force "$work/old-src" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
[ -x "$new" ] || swift build --product qun >&2
if [ -z "${QUN_BEFORE_BIN:-}" ]; then
    git worktree add --detach "$work/old-src" "$ref" >&2
    swift build -c release --package-path "$work/old-src" --scratch-path "$(pwd)/.build-before" --product qun >&2
    QUN_BEFORE_BIN="$(swift build -c release --package-path "$work/old-src" --scratch-path "$(pwd)/.build-before" --show-bin-path)"
fi
old="$QUN_BEFORE_BIN/qun"
export HOME="$work/home" XDG_DATA_HOME="$work/home/xdg" LANG=C.UTF-8
mkdir -p "$HOME"
unset QUN_STORE QUN_CLOCK_OFFSET_MS
failed=0
check() {  # check NAME EXPECTED-EXIT MESSAGE-FRAGMENT -- COMMAND...
    local name="$1" want="$2" fragment="$3"; shift 4
    local status=0
    "$@" > "$work/out" 2> "$work/err" || status=$?
    local passed=false
    if [ "$want" = 0 ]; then
        [ "$status" = 0 ] && passed=true
    elif [ "$status" != 0 ] && grep -qF -- "$fragment" "$work/err"; then
        passed=true
    fi
    if $passed; then
        echo "ok    $name"
    else
        echo "FAIL  $name (exit $status): $(cat "$work/err")" >&2
        failed=1
    fi
}
serve() {  # serve BINARY STORE: sets url
    "$1" --store "$2" serve --listen 127.0.0.1:0 > "$work/serve-${#pids[@]}.out" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 200); do
        url="$(grep -o 'http://[0-9.:]*' "$work/serve-$((${#pids[@]} - 1)).out" || true)"
        [ -n "$url" ] && return 0
        sleep 0.05
    done
    echo "qun serve did not start" >&2; exit 1
}

"$old" --store "$work/old" init --name 老林 > /dev/null
"$old" --store "$work/old" member add 张三 --city 杭州 --phone 13912345678 > /dev/null
"$old" --store "$work/old" bundle export "$work/old.qunb" > /dev/null
invite="$("$old" --store "$work/old" team invite)"
cp -a "$work/old" "$work/old-copy"

check "an old release's store opens here" 0 "" -- "$new" --store "$work/old-copy" member list
check "an old release's invite joins here" 0 "" -- "$new" --store "$work/new" init --name 新王 --join "$invite" --no-snapshot
check "an old release's bundle imports here" 0 "" -- "$new" --store "$work/new" bundle import "$work/old.qunb"
if ! "$new" --store "$work/new" export --format json | grep -q 张三; then echo "FAIL  the old bundle's member is missing" >&2; failed=1; fi

serve "$old" "$work/old"; old_url="$url"
serve "$new" "$work/new"; new_url="$url"
check "this qun syncing with an old one is told to upgrade that laptop" 1 "upgrade qun on that laptop" -- "$new" --store "$work/new" sync "$old_url"
check "an old qun syncing with this one is told to upgrade" 1 "upgrade qun on the laptop that made this request" -- "$old" --store "$work/old" sync "$new_url"
"$new" --store "$work/new" bundle export "$work/new.qunb" > /dev/null
check "an old qun importing a sealed bundle is told to upgrade" 1 "upgrade qun" -- "$old" --store "$work/old" bundle import "$work/new.qunb"
if [ "$failed" != 0 ]; then echo "upgrade check FAILED against $ref" >&2; exit 1; fi
echo "upgrade check passed against $ref"
