#!/usr/bin/env bash
# Each measure of issue 26 beside its limit on this machine, in one run, with the ratio.
# So far: the read path. `GET /api/v1/cases/{id}` on the demo database (a complaints
# officer's token, 64 connections, every read audited before it is answered) against an axum
# handler returning a small JSON body with no database (benches/limit_hello/hello.rs), on SQLite and
# PostgreSQL. Three runs of 10 s each, median shown.
# Then the import: 30 organisations of 10,000 generated cases, one `redress import` process
# each, into one SQLite file, against the `sqlite3` shell's `.import` of the same CSV rows into
# one table (the limit), and on PostgreSQL against COPY. Three runs each, median.
# Then the reports on each backend beside DuckDB over the same CSVs.
# Usage: bash benches/limits.sh   (needs wrk; PostgreSQL at 127.0.0.1:5432 for its half)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk hyperfine sqlite3; do
  command -v $tool > /dev/null || apt-get install -y $tool || { echo "!!! $tool is needed: apt-get install -y $tool"; exit 1; }
done
# Whatever this script started is stopped when it ends, however it ends.
trap 'jobs -p | xargs -r kill 2> /dev/null' EXIT
cargo build --release --bin redress --example limit_hello
bin=target/release/redress
hello=target/release/examples/limit_hello
work=${WORK:-/tmp/redress-limits}
runs=${RUNS:-3}
rm -rf "$work" && mkdir -p "$work"

# The median requests/s and p99 of `runs` wrk runs of the given script against the given URL.
measure() {
  local script=$1 url=$2
  for i in $(seq "$runs"); do
    wrk -t2 -c64 -d10s -s "$script" "$url" | grep RESULT
  done | python3 -c '
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=([\d.]+)", l)) for l in sys.stdin]
rps = [float(r["requests_per_sec"]) for r in rows]
p99 = [float(r["p99_ms"]) for r in rows]
errors = sum(int(r["errors"]) for r in rows)
print(f"{statistics.median(rps):.0f} {statistics.median(p99):.2f} {errors} runs={rps}/{p99}")'
}

$hello 127.0.0.1:8099 & limit=$!
sleep 1
read -r limit_rps limit_p99 limit_errors limit_runs < <(MAX_ID=200 TOKEN=x measure benches/wrk/case_by_id.lua http://127.0.0.1:8099)
kill $limit
echo "limit (axum hello): $limit_rps req/s, p99 $limit_p99 ms ($limit_runs)"

psql -U postgres -h 127.0.0.1 -d test -qc "DROP DATABASE IF EXISTS redress_limits" -c "CREATE DATABASE redress_limits" 2>/dev/null || echo "!!! PostgreSQL is not running: its half is skipped"
declare -A urls=([sqlite]="sqlite://$work/demo.db" [postgres]="postgres://postgres@127.0.0.1:5432/redress_limits")
port=8090
for backend in sqlite postgres; do
  url=${urls[$backend]}
  if ! $bin --database "$url" demo --no-serve > "$work/demo-$backend.log" 2>&1; then
    echo "!!! $backend: the demo did not load (see $work/demo-$backend.log)"; continue
  fi
  $bin --database "$url" serve --listen 127.0.0.1:$port > "$work/serve-$backend.log" 2>&1 &
  server=$!
  sleep 3
  csrf=$(curl -s -c "$work/jar" -H 'content-type: application/json' \
    -d '{"email":"officer@westminster.example","password":"westminster-demo"}' http://127.0.0.1:$port/api/v1/session |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  token=$(curl -s -b "$work/jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"organisation":"westminster","role":"complaints_officer","name":"limits"}' http://127.0.0.1:$port/api/v1/tokens |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  max_id=$(curl -s -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/cases?organisation=westminster&limit=500" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(max(i["id"] for i in d["items"]))' 2>/dev/null || echo 100)
  read -r rps p99 errors runs_seen < <(MAX_ID=$max_id TOKEN=$token measure benches/wrk/case_by_id.lua http://127.0.0.1:$port)
  echo "$backend GET /api/v1/cases/{id}: $rps req/s, p99 $p99 ms, errors $errors ($runs_seen)"
  python3 -c "print(f'$backend read path ratio to its limit: {$rps / $limit_rps * 100:.1f}% (target at least 25%, p99 at most 10 ms)')"
  kill $server; wait $server 2>/dev/null || true
  port=$((port + 1))
done

echo "== import: 30 files of 10,000 cases, redress import (one process each), against each backend's own bulk load"
# SQLite's limit is the sqlite3 shell's .import; PostgreSQL's is COPY (psql \copy) into one
# table of text columns. Both load the same CSV rows.
export REDRESS_MASTER_KEY_FILE=$work/master.key
$bin gen --organisations 30 --cases 300000 --out "$work/gen" > /dev/null
columns=$(head -1 "$work/gen/org-001/cases.csv")
text_columns=$(echo "$columns" | sed 's/,/ text,/g; s/$/ text/')
declare -A import_urls=([sqlite]="sqlite://$work/import.db" [postgres]="postgres://postgres@127.0.0.1:5432/redress_limits_import")
fresh_database() {
  if [ "$1" = sqlite ]; then rm -f "$work"/import.db*; else
    psql -U postgres -h 127.0.0.1 -d test -qc "DROP DATABASE IF EXISTS redress_limits_import" -c "CREATE DATABASE redress_limits_import"
  fi
}
bulk_load() {
  if [ "$1" = sqlite ]; then
    rm -f "$work"/shell.db*
    sqlite3 "$work/shell.db" "CREATE TABLE cases ($columns)"
    for dir in "$work"/gen/org-*; do sqlite3 "$work/shell.db" ".import --csv --skip 1 $dir/cases.csv cases"; done
  else
    psql -U postgres -h 127.0.0.1 -d test -qc "DROP TABLE IF EXISTS limit_cases" -c "CREATE TABLE limit_cases ($text_columns)"
    for dir in "$work"/gen/org-*; do
      psql -U postgres -h 127.0.0.1 -d test -qc "\\copy limit_cases FROM '$dir/cases.csv' WITH (FORMAT csv, HEADER true)"
    done
  fi
}
for backend in sqlite postgres; do
  if [ "$backend" = postgres ] && ! psql -U postgres -h 127.0.0.1 -d test -qc "SELECT 1" > /dev/null 2>&1; then
    echo "!!! PostgreSQL is not running: its import is skipped"; continue
  fi
  for i in $(seq "$runs"); do
    fresh_database "$backend"
    start=$(date +%s.%N)
    for dir in "$work"/gen/org-*; do
      $bin --database "${import_urls[$backend]}" import cases "$dir/cases.csv" --organisation "$(basename "$dir")" > /dev/null
    done
    end=$(date +%s.%N)
    echo "redress $start $end"
    start=$(date +%s.%N)
    bulk_load "$backend"
    end=$(date +%s.%N)
    echo "limit $start $end"
  done | BACKEND=$backend python3 -c '
import os, statistics, sys
backend = os.environ["BACKEND"]
rates = {"redress": [], "limit": []}
for line in sys.stdin:
    name, start, end = line.split()
    rates[name].append(300_000 / (float(end) - float(start)))
ours, limit = statistics.median(rates["redress"]), statistics.median(rates["limit"])
ours_runs = [round(r) for r in rates["redress"]]
limit_runs = [round(r) for r in rates["limit"]]
name = {"sqlite": "sqlite3 .import", "postgres": "COPY"}[backend]
print(f"{backend} import: redress {ours:,.0f} cases/s {ours_runs}; {name} {limit:,.0f} rows/s {limit_runs}; ratio {ours / limit * 100:.1f}% (target at least 50%)")'
done

echo "== reports beside DuckDB, over the 300,000 cases just imported and the same CSVs"
python3 -m venv "$work/venv" && "$work/venv/bin/pip" -q install duckdb
py=$work/venv/bin/python
annual_duck=$($py benches/report_duckdb.py "$work/gen/org-015/cases.csv" 2020 | tail -2)
national_duck=$($py benches/report_duckdb.py --national "$work/gen/org-*/cases.csv" 2020)
for backend in sqlite postgres; do
  db=${import_urls[$backend]}
  $bin --database "$db" report annual --organisation org-015 --year 2020 --format json --out "$work/org-015-$backend.json" || continue
  # DuckDB's figures must agree with this backend's before its speed means anything.
  $py benches/report_duckdb.py "$work/gen/org-015/cases.csv" 2020 "$work/org-015-$backend.json" > /dev/null
  hyperfine -N --warmup 2 --runs 15 --export-json "$work/annual-$backend.json" \
    "$bin --database $db report annual --organisation org-015 --year 2020 --format json --out $work/org-015-$backend.json" > /dev/null
  hyperfine -N --warmup 2 --runs 10 --export-json "$work/national-$backend.json" \
    "$bin --database $db report national --year 2020 --format json --out $work/national-2020-$backend.json" > /dev/null
  python3 - "$work" "$backend" "$annual_duck" "$national_duck" <<'PY'
import json, re, sys
work, backend, annual_duck, national_duck = sys.argv[1:5]
median = lambda name: json.load(open(f"{work}/{name}-{backend}.json"))["results"][0]["median"] * 1000
annual, national = median("annual"), median("national")
duck_annual = float(re.search(r"aggregate_only median_ms=([\d.]+)", annual_duck).group(1))
duck_annual_read = float(re.search(r"read\+aggregate median_ms=([\d.]+)", annual_duck).group(1))
duck_national = float(re.search(r"aggregate_only median_ms=([\d.]+)", national_duck).group(1))
print(f"{backend} annual report (org-015, 2020/21, whole process): {annual:.1f} ms; DuckDB aggregates over the loaded table {duck_annual:.1f} ms: ratio {annual / duck_annual:.2f}x (target at most 1.0x); with DuckDB reading the CSV {duck_annual_read:.1f} ms: {annual / duck_annual_read:.2f}x")
print(f"{backend} national roll-up (30 organisations, 2020/21, whole process): {national:.1f} ms; DuckDB {duck_national:.1f} ms; ratio {national / duck_national:.2f}x (target at most 1.0x)")
PY
done
