#!/usr/bin/env bash
# The long crash test: 20 rounds of SIGKILL during a stream of public complaints, on SQLite and
# on PostgreSQL (CI runs 3 rounds of each). Usage: bash benches/crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REDRESS_CRASH_ROUNDS=${REDRESS_CRASH_ROUNDS:-20} cargo test --test crash -- --nocapture --test-threads=1 2>&1 |
  grep -E "round|test result|panicked"
