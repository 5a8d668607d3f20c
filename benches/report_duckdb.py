"""DuckDB computes the annual report's headline aggregates, working-day timeliness included,
over the same exported cases CSV, so Redress's figures and speed can be checked against it.

Usage: python3 benches/report_duckdb.py CASES_CSV YEAR [REDRESS_REPORT_JSON]
       python3 benches/report_duckdb.py --national CSV_GLOB YEAR   (every organisation's
       headline figures at once, grouped by file, as `redress report national` gives them)
Prints the figures and the median of 5 timed runs (read CSV + aggregate, and aggregate only).
With REDRESS_REPORT_JSON (from `redress report annual ... --format json`), asserts they agree.
"""
import datetime as dt
import json
import pathlib
import statistics
import sys
import time

import duckdb

# A stage's limit in working days. `stageN_extended` holds the extended limit in working days
# (older exports wrote "yes" for the statutory maximum); empty, the procedure's own limit.
STAGE1_LIMIT = (
    "CASE WHEN CAST(c.stage1_extended AS VARCHAR) = 'yes' THEN 20 "
    "ELSE coalesce(TRY_CAST(CAST(c.stage1_extended AS VARCHAR) AS INTEGER), 10) END"
)
STAGE2_LIMIT = (
    "CASE WHEN CAST(c.stage2_extended AS VARCHAR) = 'yes' THEN 65 "
    "ELSE coalesce(TRY_CAST(CAST(c.stage2_extended AS VARCHAR) AS INTEGER), "
    "CASE WHEN c.procedure = 'statutory' THEN 25 ELSE 10 END) END"
)

HOLIDAYS = pathlib.Path(__file__).resolve().parent.parent / "crates/calendar/data/bank-holidays.json"


def due_dates():
    """(day, n, due) for every day of the data and each limit the procedures use."""
    events = json.loads(HOLIDAYS.read_text())["england-and-wales"]["events"]
    closed = {dt.date.fromisoformat(e["date"]) for e in events}
    first, last = dt.date(2015, 1, 1), dt.date(2028, 12, 31)
    days = [first + dt.timedelta(i) for i in range((last - first).days + 1)]
    working = [d for d in days if d.weekday() < 5 and d not in closed]
    rows = []
    position = 0
    for day in days:
        while position < len(working) and working[position] <= day:
            position += 1
        for n in (10, 20, 25, 65):
            index = position + n - 1
            if index < len(working):
                rows.append((day, n, working[index]))
    return rows


QUERY = """
WITH y AS (SELECT DATE '{start}' AS a, DATE '{end}' AS b),
c AS (SELECT * FROM cases),
s1 AS (
  SELECT c.*, d.due FROM c
  JOIN due d ON d.day = c.stage1_started_on
   AND d.n = {stage1_limit}
  WHERE c.stage1_started_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)
),
s2 AS (
  SELECT c.*, d.due FROM c
  JOIN due d ON d.day = c.stage2_started_on
   AND d.n = {stage2_limit}
  WHERE c.stage2_started_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)
)
SELECT
  (SELECT count(*) FROM c WHERE received_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)) AS received,
  (SELECT count(*) FROM c WHERE received_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y) AND procedure = 'statutory') AS statutory,
  (SELECT count(*) FROM c WHERE received_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y) AND resolved_at_initial_contact = 'yes') AS resolved,
  (SELECT count(*) FROM c WHERE received_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y) AND coalesce(rejected_reason, '') <> '') AS rejected,
  (SELECT count(*) FROM s1) AS stage1_started,
  (SELECT count(*) FROM s1 WHERE stage1_outcome IN ('upheld', 'partially_upheld', 'not_upheld')) AS stage1_responded,
  (SELECT count(*) FROM s1 WHERE stage1_outcome IN ('upheld', 'partially_upheld', 'not_upheld') AND stage1_responded_on <= due) AS stage1_within,
  (SELECT count(*) FROM s1 WHERE stage1_outcome = 'upheld') AS stage1_upheld,
  (SELECT count(*) FROM s2) AS stage2_started,
  (SELECT count(*) FROM s2 WHERE stage2_outcome IN ('upheld', 'partially_upheld', 'not_upheld') AND stage2_responded_on <= due) AS stage2_within,
  (SELECT count(*) FROM c WHERE ombudsman_decided_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)) AS ombudsman_decisions
"""

TEAMS = """
SELECT team, count(*) AS n FROM cases
WHERE received_on BETWEEN DATE '{start}' AND DATE '{end}' AND coalesce(rejected_reason, '') = ''
GROUP BY team ORDER BY n DESC, team
"""


def run(csv_path, year):
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    con = duckdb.connect()
    con.execute("CREATE TABLE due (day DATE, n INTEGER, due DATE)")
    con.executemany("INSERT INTO due VALUES (?, ?, ?)", due_dates())

    def load():
        con.execute("DROP TABLE IF EXISTS cases")
        con.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv_path}', header = true, all_varchar = false)")

    def aggregate():
        figures = con.execute(QUERY.format(start=start, end=end, stage1_limit=STAGE1_LIMIT, stage2_limit=STAGE2_LIMIT)).fetchone()
        teams = con.execute(TEAMS.format(start=start, end=end)).fetchall()
        return figures, teams

    with_read, only_aggregate = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        load()
        t1 = time.perf_counter()
        result = aggregate()
        t2 = time.perf_counter()
        with_read.append((t2 - t0) * 1000)
        only_aggregate.append((t2 - t1) * 1000)
    return result, statistics.median(with_read), statistics.median(only_aggregate)


NATIONAL = """
WITH y AS (SELECT DATE '{start}' AS a, DATE '{end}' AS b),
s1 AS (
  SELECT c.filename, c.stage1_outcome, c.stage1_responded_on, d.due FROM cases c
  JOIN due d ON d.day = c.stage1_started_on
   AND d.n = {stage1_limit}
  WHERE c.stage1_started_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)
)
SELECT o.filename,
  (SELECT count(*) FROM cases c WHERE c.filename = o.filename AND received_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)) AS received,
  (SELECT count(*) FROM s1 WHERE s1.filename = o.filename AND stage1_outcome IN ('upheld', 'partially_upheld', 'not_upheld')) AS stage1_responded,
  (SELECT count(*) FROM s1 WHERE s1.filename = o.filename AND stage1_outcome IN ('upheld', 'partially_upheld', 'not_upheld') AND stage1_responded_on <= due) AS stage1_within,
  (SELECT count(*) FROM cases c WHERE c.filename = o.filename AND stage2_started_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)) AS stage2_started,
  (SELECT count(*) FROM cases c WHERE c.filename = o.filename AND stage3_started_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)) AS stage3_started,
  (SELECT count(*) FROM cases c WHERE c.filename = o.filename AND ombudsman_decided_on BETWEEN (SELECT a FROM y) AND (SELECT b FROM y)) AS ombudsman
FROM (SELECT DISTINCT filename FROM cases) o ORDER BY o.filename
"""


def national(glob, year):
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    con = duckdb.connect()
    con.execute("CREATE TABLE due (day DATE, n INTEGER, due DATE)")
    con.executemany("INSERT INTO due VALUES (?, ?, ?)", due_dates())
    con.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{glob}', header = true, filename = true)")
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = con.execute(NATIONAL.format(start=start, end=end, stage1_limit=STAGE1_LIMIT, stage2_limit=STAGE2_LIMIT)).fetchall()
        runs.append((time.perf_counter() - t0) * 1000)
    print(f"duckdb national organisations={len(rows)} received={sum(r[1] for r in rows)} "
          f"aggregate_only median_ms={statistics.median(runs):.1f}")


def main():
    if sys.argv[1] == "--national":
        national(sys.argv[2], int(sys.argv[3]))
        return
    csv_path, year = sys.argv[1], int(sys.argv[2])
    (figures, teams), with_read, only_aggregate = run(csv_path, year)
    names = ["received", "statutory", "resolved", "rejected", "stage1_started", "stage1_responded",
             "stage1_within", "stage1_upheld", "stage2_started", "stage2_within", "ombudsman_decisions"]
    result = dict(zip(names, figures))
    print(json.dumps(result))
    print(f"duckdb read+aggregate median_ms={with_read:.1f} aggregate_only median_ms={only_aggregate:.1f}")
    if len(sys.argv) > 3:
        report = json.loads(pathlib.Path(sys.argv[3]).read_text())
        expected = {
            "received": report["complaints"]["received"],
            "statutory": report["complaints"]["statutory"],
            "resolved": report["complaints"]["resolved_at_initial_contact"],
            "rejected": report["complaints"]["rejected"],
            "stage1_started": report["stage1"]["started"],
            "stage1_responded": report["stage1"]["responded"],
            "stage1_within": report["stage1"]["within_timescale"],
            "stage1_upheld": report["stage1"]["upheld"],
            "stage2_started": report["stage2"]["started"],
            "stage2_within": report["stage2"]["within_timescale"],
            "ombudsman_decisions": report["ombudsman"]["total"],
        }
        assert result == expected, f"DuckDB {result} != Redress {expected}"
        redress_teams = [(t["name"], t["count"]) for t in report["complaints"]["by_team"]]
        assert [(t, n) for t, n in teams] == redress_teams, f"{teams} != {redress_teams}"
        print("Redress and DuckDB agree on every figure compared")


if __name__ == "__main__":
    main()
