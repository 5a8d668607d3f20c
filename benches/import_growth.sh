#!/usr/bin/env bash
# Does a small import get slower as the database grows? Imports 30 organisations of 10,000
# generated cases (`redress gen`), one `redress import` process each, into a fresh SQLite file,
# and prints the total rate and the mean time of the first and last five files; then times the
# national roll-up over them (hyperfine) and prints the file's size.
# Usage: bash benches/import_growth.sh   (needs hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin redress
bin=$PWD/target/release/redress
work=${WORK:-/tmp/redress-import-growth}
rm -rf "$work" && mkdir -p "$work"
export REDRESS_MASTER_KEY_FILE=$work/master.key
$bin gen --organisations 30 --cases 300000 --out "$work/gen" > /dev/null
start=$(date +%s.%N)
for dir in "$work"/gen/org-*; do
  /usr/bin/time -f "%e" -a -o "$work/times" \
    $bin --database "sqlite://$work/growth.db" import cases "$dir/cases.csv" --organisation "$(basename "$dir")" > /dev/null
done
end=$(date +%s.%N)
python3 - "$start" "$end" "$work/times" <<'PY'
import sys
start, end, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
t = [float(line) for line in open(path)]
print(f"import 300,000 cases: {end - start:.1f} s, {300_000 / (end - start):,.0f} cases/s; "
      f"first 5 files {sum(t[:5]) / 5:.2f} s each, last 5 {sum(t[-5:]) / 5:.2f} s each")
PY
hyperfine -N --warmup 2 --runs 10 \
  "$bin --database sqlite://$work/growth.db report national --year 2020 --format json --out $work/national.json"
echo "database file: $(stat -c %s "$work/growth.db") bytes"
