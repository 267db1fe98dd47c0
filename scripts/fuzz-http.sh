#!/usr/bin/env bash
# Fuzzes `qun serve` from its own OpenAPI document (schema/sync-api.json) with Schemathesis:
# once unsigned (everything must be refused with 401) and once with every request sealed and
# signed with the team secret as `qun sync` does it (scripts/fuzz_auth.py), so the handlers see
# the generated plaintexts; 1 in 8 signed requests go out unsealed (must be 400) and signed
# protocol-1 requests (/v1/...) must get 426. Passes when no request got a 5xx, every /v2
# operation answered some signed requests with 200 and every such 200 opened, every signed
# answer carried a valid X-Qun-Signature, the server is still alive at the end and answers,
# and the store passes PRAGMA integrity_check. See RELIABILITY.md. One worker: schemathesis
# with several threads trips a CPython 3.11 ast.parse race ("AST constructor recursion depth
# mismatch"). No example database: a seed replays the same requests however often it ran.
#
#   bash scripts/fuzz-http.sh                 # about 3,000 requests, a minute or two
#   FUZZ_EXAMPLES=500 bash scripts/fuzz-http.sh
#   QUN_BINARY=.build/release/qun bash scripts/fuzz-http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

examples=${FUZZ_EXAMPLES:-150}   # per operation and pass; 8 operations, 2 passes, + coverage
seed=${FUZZ_SEED:-$(date +%s)}
venv=${FUZZ_VENV:-$root/.build-fuzz/venv}
qun=${QUN_BINARY:-$root/.build/debug/qun}

if [[ ! -x "$qun" ]]; then
    echo "building qun ..." >&2
    swift build --product qun
fi
# Pinned: the fuzzer, and the AEAD (ChaCha20-Poly1305) the signed pass seals with.
fuzz_packages=("schemathesis==4.32.5" "cryptography==48.0.0")
installed() {
    [[ -x "$venv/bin/python" ]] && "$venv/bin/python" - "${fuzz_packages[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(any(version(name) != wanted for name, wanted in (spec.split("==") for spec in sys.argv[1:])))
PY
}
if ! installed; then
    if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv
    fi
    echo "installing ${fuzz_packages[*]} into $venv ..." >&2
    [[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "${fuzz_packages[@]}"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/qun-fuzz.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -9 "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

export HOME="$work/home" XDG_DATA_HOME="$work/home/xdg-data" LANG=C.UTF-8
mkdir -p "$HOME"
unset QUN_STORE QUN_CLOCK_OFFSET_MS
store="$work/store"
"$qun" --store "$store" init --name 林 --open >/dev/null
"$qun" --store "$store" member add 张三 --tag 读书会 --city 杭州 >/dev/null
"$qun" --store "$store" member add "Anna Lee" --role kol >/dev/null
invite=$("$qun" --store "$store" team invite --shared-secret)
before=$("$qun" --store "$store" export --format json | sha256sum)

"$qun" --store "$store" serve --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 300); do
    [[ -s "$work/serve.out" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "qun serve exited:" >&2; cat "$work/serve.err" >&2; exit 1; }
    sleep 0.1
done
url=$(head -n1 "$work/serve.out" | sed -n 's/^serving .* on \(http:\/\/.*\)$/\1/p')
[[ -n "$url" ]] || { echo "qun serve printed no URL: $(head -n1 "$work/serve.out")" >&2; exit 1; }
echo "seed $seed; fuzzing $url (qun serve pid $server_pid), $examples examples per operation and pass"

log="$work/requests.log"
: >"$log"
failed=0
run_pass() {
    local name=$1 invite_for_pass=$2
    echo "== pass: $name"
    set +e
    QUN_FUZZ_INVITE="$invite_for_pass" QUN_FUZZ_LOG="$log" SCHEMATHESIS_HOOKS=fuzz_auth PYTHONPATH="$root/scripts" PYTHONDONTWRITEBYTECODE=1 \
        "$venv/bin/schemathesis" run "$root/schema/sync-api.json" --url "$url" \
        --checks not_a_server_error --phases examples,coverage,fuzzing \
        --max-examples "$examples" --seed "$seed" --generation-database none --workers 1 --request-timeout 30 \
        --suppress-health-check all --warnings off --no-color 2>&1 | tail -n 40
    local status=${PIPESTATUS[0]}
    set -e
    if [[ $status -ne 0 ]]; then
        echo "pass '$name' failed (schemathesis exit $status)" >&2
        failed=1
    fi
    # A pass that sent nothing would prove nothing.
    local sent
    sent=$(wc -l <"$log")
    echo "requests logged so far: $sent"
}

run_pass unsigned ""
unsigned_sent=$(wc -l <"$log")
if [[ $unsigned_sent -eq 0 ]]; then
    echo "the unsigned pass sent no request" >&2
    failed=1
fi
# Log lines: METHOD PATH STATUS PASS ANSWER BODY SIGNATURE (see scripts/fuzz_auth.py).
sealed_ops='^POST /v2/(info|pull|push|snapshot) '
clear_ops='^(GET /v1/info|POST /v1/pull|POST /v1/push|GET /v1/snapshot) '
documented='^(POST /v2/info|POST /v2/pull|POST /v2/push|POST /v2/snapshot|GET /v1/info|POST /v1/pull|POST /v1/push|GET /v1/snapshot) '
# Every unsigned request to a documented operation must be refused with 401: anything else
# means the middleware let it in. (Undocumented methods are listed, not failed: see below.)
if grep -E "$documented" "$log" | awk '$3 != 401 {bad=1} END {exit !bad}'; then
    echo "unsigned requests to documented operations that were not refused with 401:" >&2
    grep -E "$documented" "$log" | awk '$3 != 401 {print $1, $2, $3}' | sort | uniq -c >&2
    failed=1
fi
if grep -vE "$documented" "$log" | awk '$3 != 401 {found=1} END {exit !found}'; then
    echo "note: unsigned requests with undocumented methods were answered without 401:"
    grep -vE "$documented" "$log" | awk '$3 != 401 {print $3}' | sort | uniq -c
    echo "      (a stranger can tell which methods and paths exist; DESIGN.md says it learns nothing)"
fi
run_pass signed "$invite"

total=$(wc -l <"$log")
signed_log="$work/signed.log"
awk '$4 == "signed"' "$log" >"$signed_log"
echo "== results: $total requests ($unsigned_sent unsigned, $((total - unsigned_sent)) signed)"
echo "statuses (count, pass, operation, request body, status, 200 answer opened):"
awk -v documented="$documented" '{op = ($1 " " $2); if ((op " ") !~ documented) op = "(other methods)"; print $4, op, $6, $3, $5}' "$log" \
    | sort | uniq -c | sort -k2,2r -k3,4 -k1,1rn
if awk '$3 >= 500 {bad=1} END {exit !bad}' "$log"; then
    echo "server errors (5xx) were answered:" >&2
    awk '$3 >= 500' "$log" | sort | uniq -c >&2
    failed=1
fi
if (( total < 1000 )); then
    echo "only $total requests were sent (want >= 1000): raise FUZZ_EXAMPLES" >&2
    failed=1
fi
# The sealing must be right, or the fuzzer never gets past the middleware: every /v2
# operation must have answered some sealed requests with 200, and every 200 must open as the
# envelope sealed for its request's answer.
for op in "POST /v2/info" "POST /v2/pull" "POST /v2/push" "POST /v2/snapshot"; do
    ok=$(grep -c -E "^$op 200 signed opened " "$signed_log" || true)
    if (( ok == 0 )); then
        echo "no signed $op got a 200 that opened: the sealing is broken, the handlers were not reached" >&2
        failed=1
    fi
done
if awk '$3 == 200 && $5 != "opened" {bad=1} END {exit !bad}' "$signed_log"; then
    echo "answers 200 that did not open as sealed for their request (a server bug):" >&2
    awk '$3 == 200 && $5 != "opened" {print $1, $2, $3, $5, $6}' "$signed_log" | sort | uniq -c >&2
    failed=1
fi
# A signed body that is not sealed is refused with 400 before any handler sees it.
if grep -E "$sealed_ops" "$signed_log" | awk '$6 == "clear" {n++; if ($3 != 400) bad=1} END {exit !(bad || n == 0)}'; then
    echo "signed requests with an unsealed body that were not refused with 400 (or none was sent):" >&2
    grep -E "$sealed_ops" "$signed_log" | awk '$6 == "clear" {print $1, $2, $3}' | sort | uniq -c >&2
    failed=1
fi
# Protocol 1 is told to upgrade: a signed request to a /v1 path gets 426, never data.
for op in "GET /v1/info" "POST /v1/pull" "POST /v1/push" "GET /v1/snapshot"; do
    if ! grep -q -E "^$op " "$signed_log"; then
        echo "no signed $op was sent" >&2
        failed=1
    fi
done
if grep -E "$clear_ops" "$signed_log" | awk '$3 != 426 {bad=1} END {exit !bad}'; then
    echo "signed protocol-1 requests that did not get 426:" >&2
    grep -E "$clear_ops" "$signed_log" | awk '$3 != 426 {print $1, $2, $3}' | sort | uniq -c >&2
    failed=1
fi
# Every answer to a validly signed request carries X-Qun-Signature bound to it.
if grep -E "$documented" "$signed_log" | awk '$7 != "ok" {bad=1} END {exit !bad}'; then
    echo "answers to signed requests without a valid X-Qun-Signature:" >&2
    grep -E "$documented" "$signed_log" | awk '$7 != "ok" {print $1, $2, $3, $7}' | sort | uniq -c >&2
    failed=1
fi

# Still alive and still answering (unsigned requests: 401, on both protocols).
if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "qun serve died during fuzzing:" >&2
    cat "$work/serve.err" >&2
    exit 1
fi
alive=$(python3 -c 'import sys, urllib.request, urllib.error
codes = []
for method, path in (("POST", "/v2/info"), ("GET", "/v1/info")):
    try:
        urllib.request.urlopen(urllib.request.Request(sys.argv[1] + path, data=b"{}" if method == "POST" else None, method=method), timeout=10)
        codes.append("200")
    except urllib.error.HTTPError as e: codes.append(str(e.code))
    except Exception as e: codes.append("no-answer(%s)" % e)
print(" ".join(codes))' "$url")
echo "qun serve still answers (POST /v2/info, GET /v1/info, unsigned): $alive"
[[ "$alive" == "401 401" ]] || failed=1

kill -TERM "$server_pid"
for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then echo "qun serve did not stop on SIGTERM" >&2; failed=1; fi
server_pid=""
integrity=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$store/store.sqlite")
echo "integrity_check: $integrity"
[[ "$integrity" == "ok" ]] || failed=1
# Random bytes pushed with a valid signature must not have become records.
after=$("$qun" --store "$store" export --format json | sha256sum)
if [[ "$before" != "$after" ]]; then
    echo "note: the export changed during fuzzing (a generated page was applied)" >&2
fi

if (( failed )); then
    echo "FAILED (seed $seed; replay with FUZZ_SEED=$seed)" >&2
    exit 1
fi
echo "passed (seed $seed)"
