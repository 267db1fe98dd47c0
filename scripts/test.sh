#!/usr/bin/env bash
# Runs every test: unit, property (several seeds, >= 1,000 operations each) and end-to-end
# tests that drive the real `qun` binary. Also builds the benchmark so it cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test --skip-build --disable-swift-testing
