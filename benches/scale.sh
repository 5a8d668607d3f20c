#!/usr/bin/env bash
# Redress at national scale, beside DuckDB, in one run: makes 1,000,000 cases (100
# organisations x 10,000 over ten years) with `redress gen`, imports them into SQLite through
# the CLI (whole processes, timed, peak memory), then times one organisation-year annual report
# and the national roll-up as whole processes (hyperfine), and DuckDB's same aggregates over the
# same CSVs. Also imports one 1,000,000-row file for the peak memory of a large import.
# Usage: bash benches/scale.sh   (needs hyperfine; installs duckdb from PyPI into a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine > /dev/null || sudo -n apt-get install -y hyperfine || apt-get install -y hyperfine
cargo build --release
bin=$PWD/target/release/redress
work=${WORK:-/tmp/redress-scale}
db="sqlite://$work/scale.db"
export REDRESS_MASTER_KEY_FILE=$work/master.key
# REUSE=1 keeps the database and CSVs of an earlier run and times only the reports.
if [ "${REUSE:-}" != 1 ]; then
rm -rf "$work" && mkdir -p "$work"
python3 -m venv "$work/venv" && "$work/venv/bin/pip" -q install duckdb

$bin gen --organisations 100 --cases 1000000 --out "$work/gen" > /dev/null

echo "== import: 100 files of 10,000 cases, one process each"
start=$(date +%s.%N)
for dir in "$work"/gen/org-*; do
  /usr/bin/time -f "%M" -a -o "$work/import-rss" \
    $bin --database "$db" import cases "$dir/cases.csv" --organisation "$(basename "$dir")" > /dev/null
done
end=$(date +%s.%N)
python3 - "$start" "$end" "$work/import-rss" <<'PY'
import sys
start, end, rss = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
peak = max(int(l) for l in open(rss) if l.strip().isdigit())
print(f"import 1,000,000 cases: {end - start:.1f} s, {1_000_000 / (end - start):,.0f} cases/s, peak RSS of one process {peak / 1024:.0f} MB")
PY

echo "== import: one file of 1,000,000 cases"
$bin gen --organisations 1 --cases 1000000 --out "$work/one" > /dev/null
/usr/bin/time -f "one-file import wall=%e s peak_rss=%M KiB" \
  $bin --database "sqlite://$work/one.db" import cases "$work/one/org-001/cases.csv" --organisation org-001 > /dev/null

fi
echo "== the statistics table agrees with the cases"
$bin --database "$db" check statistics | tail -1

echo "== one organisation-year annual report (org-042, 2020/21), whole process"
hyperfine -N --warmup 2 --runs 15 --export-json "$work/report.json" \
  "$bin --database $db report annual --organisation org-042 --year 2020 --format json --out $work/org-042.json" | grep -E "Time|Range"
echo "== national roll-up, 2020/21, whole process"
hyperfine -N --warmup 1 --runs 10 --export-json "$work/national.json" \
  "$bin --database $db report national --year 2020 --out $work/national-2020.json" | grep -E "Time|Range"
py=$work/venv/bin/python
echo "== DuckDB, in-process, the same aggregates over the CSVs"
$py benches/report_duckdb.py "$work/gen/org-042/cases.csv" 2020 "$work/org-042.json"
$py benches/report_duckdb.py --national "$work/gen/org-*/cases.csv" 2020
for name in report national; do
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(sys.argv[2], 'median_ms=%.1f' % (r['median']*1000))" "$work/$name.json" "$name"
done
