#!/usr/bin/env bash
# Installs the Debian packages qun builds against (and the sqlite3 shell the reliability
# tests check store files with, openssl, which the TLS tests make a certificate with, and
# chromium with the Noto CJK and emoji fonts, which the HTML report tests open the page in, so that
# Chinese names and emoji nicknames are drawn rather than boxes), when they are missing.
set -euo pipefail

missing=()
for package in libsqlite3-dev libedit-dev sqlite3 openssl chromium fonts-noto-cjk fonts-noto-color-emoji; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
