#!/usr/bin/env bash
# The two-laptop demo: two operators' stores (members, an event plan with its run-sheet, a
# daily routine task), edited offline, exchange bundle files in both directions and end up
# identical; then the same over HTTP. Everything happens in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --product qun >&2
qun="$PWD/.build/debug/qun"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lin="$work/lin" wang="$work/wang"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ qun %s\n' "$*" | sed "s#$work/##g"; "$qun" "$@"; }

step "林 creates the team's store and adds members"
run --store "$lin" init --name 林
run --store "$lin" member add 张三 --role kol --city 杭州 --tag 读书会 --gate paid --gate-note "paid 138" >/dev/null
run --store "$lin" member add 李四 --city 上海 --tag 读书会 --tag 新人 --referrer 张三 >/dev/null
run --store "$lin" member add "Lin Wei" --role core --city 北京 --tag 摄影 >/dev/null
run --store "$lin" member list

step "林 plans an event with a run-sheet, and a daily routine task"
run --store "$lin" event add 读书会线下见面 --kind offline --city 杭州 --place 晓书馆 --start +14dT14:00 --end +14dT17:00 --target 30 >/dev/null
run --store "$lin" event task 读书会线下见面 订场地 --owner 林 --due -10d >/dev/null
run --store "$lin" event task 读书会线下见面 发活动预告 --owner 王 --due -7d >/dev/null
run --store "$lin" task add 早安推送 --assignee 王 --recur daily --due today >/dev/null
run --store "$lin" task list

step "王 joins the team on a second laptop with a single-use invite"
"$qun" --store "$lin" serve --listen 127.0.0.1:0 > "$work/serve.out" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q http "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url="$(grep -o 'http://[0-9.:]*' "$work/serve.out")"
echo "林's laptop: $(cat "$work/serve.out")"
invite="$("$qun" --store "$lin" team invite --role editor --expires 1h --url "$url")"
run --store "$wang" init --name 王 --join "$invite"
run --store "$lin" team list

step "Both edit offline: different fields, the same tag, a delete against an edit"
run --store "$lin" member edit 张三 --city 苏州
run --store "$wang" member edit 张三 --role core
run --store "$lin" member edit 李四 --untag 新人
run --store "$wang" member edit 李四 --tag 新人 --tag 志愿者
run --store "$wang" member add 欧阳娜娜 --city 成都 --tag 读书会 >/dev/null
run --store "$lin" member rm "Lin Wei"
run --store "$wang" member edit "Lin Wei" --notes "wants to host the photo walk"
run --store "$wang" member log 张三 "私聊确认线下活动报名"
run --store "$lin" event edit 读书会线下见面 --start +21dT14:00 >/dev/null
run --store "$wang" event signup 读书会线下见面 张三 李四 欧阳娜娜
run --store "$wang" task done 早安推送

step "Bundles cross in both directions"
run --store "$wang" bundle export "$work/wang-1.qunbundle"
run --store "$lin" bundle import "$work/wang-1.qunbundle"
run --store "$lin" bundle export "$work/lin-2.qunbundle" --for 王
run --store "$wang" bundle import "$work/lin-2.qunbundle"

step "Converged: both laptops print the same export"
"$qun" --store "$lin" export --format json > "$work/lin.json"
"$qun" --store "$wang" export --format json > "$work/wang.json"
if cmp -s "$work/lin.json" "$work/wang.json"; then
    echo "identical exports ($(wc -c < "$work/lin.json") bytes)"
else
    diff "$work/lin.json" "$work/wang.json"; exit 1
fi
run --store "$wang" member list
run --store "$wang" event show 读书会线下见面
run --store "$lin" task list status:any
run --store "$wang" history 张三

step "Over the network: 林 serves, 王 syncs"
run --store "$lin" member edit 欧阳娜娜 --role core --tag 线下
run --store "$wang" sync origin
"$qun" --store "$lin" export --format json > "$work/lin.json"
"$qun" --store "$wang" export --format json > "$work/wang.json"
cmp -s "$work/lin.json" "$work/wang.json" && echo "identical exports after sync"
run --store "$lin" status

step "The group's chat as activity: overlapping exports imported on both laptops"
day1="$(date +%F -d '2 days ago')" day2="$(date +%F -d yesterday)"
qq_export() {
    printf '消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n消息分组:我的群聊\n================================================================\n消息对象:读书会\n================================================================\n\n'
    for line in "$@"; do printf '%s\n\n' "$line"; done
}
qq_export "$day1 20:01:05 张三(10001)
大家好" "$day1 20:15:00 欧阳娜娜(10002)
晚上好 🎉" "$day1 21:30:00 系统消息(10000)
小周加入本群。" > "$work/lin-chat.txt"
qq_export "$day1 21:30:00 系统消息(10000)
小周加入本群。" "$day2 08:00:00 小周(10003)
早
今天读第三章" "$day2 20:05:00 张三(10001)
[图片]" > "$work/wang-chat.txt"
run --store "$lin" member edit 张三 --qq 10001
run --store "$lin" import chat "$work/lin-chat.txt"
run --store "$wang" import chat "$work/wang-chat.txt"
run --store "$wang" sync origin
run --store "$lin" report hours --days 7 | tail -2
run --store "$wang" report hours --days 7 | tail -2
run --store "$lin" report all --html "$work/report.html" --json > /dev/null
echo "report.html: $(wc -c < "$work/report.html") bytes, one self-contained page with charts"
