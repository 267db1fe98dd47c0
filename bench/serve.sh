# Sourced by the sync benchmarks: `serve QUN STORE` starts `QUN --store STORE serve` on a free
# port of 127.0.0.1 and sets `server_pid` and `url`; every server started is listed in
# `servers` for the caller's cleanup. Needs `work` (a scratch directory).
servers=()
serve() {
    local log="$work/serve-${#servers[@]}"
    "$1" --store "$2" serve --listen 127.0.0.1:0 > "$log.out" 2> "$log.err" &
    server_pid=$!
    servers+=("$server_pid")
    for _ in $(seq 1 200); do
        url="$(grep -o 'http://[0-9.:]*' "$log.out" || true)"
        [ -n "$url" ] && return 0
        sleep 0.05
    done
    echo "qun serve did not start: $(cat "$log.err")" >&2; exit 1
}
