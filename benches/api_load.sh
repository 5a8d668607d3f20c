#!/usr/bin/env bash
# Loads 1,000,000 generated cases into SQLite and PostgreSQL, then drives wrk (64 connections,
# 10 s, three runs each) at: a case by id, a team's open cases and "due in the next 5 working
# days" through the API (a complaints officer's token); the staff case page, the case list page
# and the dashboard (a signed-in session); and the public complaint form (durable commits).
# Records the server's peak memory. Usage: bash benches/api_load.sh   (needs wrk; PostgreSQL at
# 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
bin=target/release/redress
work=${WORK:-/tmp/redress-bench}
rm -rf "$work" && mkdir -p "$work"
$bin gen --organisations 1 --cases 1000000 --out "$work/gen"

psql -U postgres -h 127.0.0.1 -d test -qc "DROP DATABASE IF EXISTS redress_bench" -c "CREATE DATABASE redress_bench"
declare -A urls=([sqlite]="sqlite://$work/bench.db" [postgres]="postgres://postgres@127.0.0.1:5432/redress_bench")
port=8090
for backend in sqlite postgres; do
  url=${urls[$backend]}
  echo "== import into $backend"
  /usr/bin/time -f "import wall=%e s peak_rss=%M KiB" $bin --database "$url" import cases "$work/gen/org-001/cases.csv" --organisation org-001 2>&1 | grep -E "^import|into"
  REDRESS_USER_PASSWORD=bench-password-long $bin --database "$url" user add bench@example.org --organisation org-001 --role complaints_officer
  $bin --database "$url" serve --listen 127.0.0.1:$port --public-forms-per-hour 1000000000 > "$work/serve-$backend.log" 2>&1 &
  server=$!
  sleep 5
  csrf=$(curl -s -c "$work/jar" -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","password":"bench-password-long"}' http://127.0.0.1:$port/api/v1/session |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  export TOKEN=$(curl -s -b "$work/jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"organisation":"org-001","role":"complaints_officer","name":"bench"}' http://127.0.0.1:$port/api/v1/tokens |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  for i in 1 2 3; do
    echo -n "$backend case_by_id: "; MAX_ID=1000000 wrk -t2 -c64 -d10s -s benches/wrk/case_by_id.lua http://127.0.0.1:$port | grep RESULT
  done
  for path in "/api/v1/cases?organisation=org-001&status=in_stage&team=Localities&limit=50" \
              "/api/v1/cases?organisation=org-001&due_within_working_days=5&limit=50"; do
    for i in 1 2 3; do
      echo -n "$backend $path: "; REQUEST_PATH="$path" wrk -t2 -c64 -d10s -s benches/wrk/path.lua http://127.0.0.1:$port | grep RESULT
    done
  done
  export COOKIE=$(grep redress_session "$work/jar" | awk '{print "redress_session=" $7}')
  for i in 1 2 3; do
    echo -n "$backend case_page: "; MAX_ID=1000000 wrk -t2 -c64 -d10s -s benches/wrk/case_page.lua http://127.0.0.1:$port | grep RESULT
  done
  for path in "/cases?team=Localities&status=in_stage" "/"; do
    for i in 1 2 3; do
      echo -n "$backend page $path: "; REQUEST_PATH="$path" wrk -t2 -c64 -d10s -s benches/wrk/path.lua http://127.0.0.1:$port | grep RESULT
    done
  done
  unset COOKIE
  for i in 1 2 3; do
    echo -n "$backend public_form: "; wrk -t2 -c64 -d10s -s benches/wrk/public_form.lua http://127.0.0.1:$port | grep RESULT
  done
  echo "$backend server peak RSS: $(grep VmHWM /proc/$server/status)"
  kill $server
  port=$((port + 1))
done
