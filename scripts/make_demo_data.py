#!/usr/bin/env python3
"""Writes the demo organisation's data: City of Westminster, Children's Services.

The data reproduces the figures of Westminster's hand-made 2020/21 annual complaints report
(demo/westminster/seed-report-2020-21.txt), with 2019/20 as the comparison year:

    demo/westminster/organisation.json
    demo/westminster/cases-2019-20.csv, cases-2020-21.csv          (redress import cases)
    demo/westminster/compliments-2019-20.csv, compliments-2020-21.csv (redress import compliments)
    demo/westminster/transitions.json   (JSON API transitions applied in order after import)
    demo/westminster/narrative/2020/*.md (the officer-written sections of the 2020/21 report)

Deterministic and standard library only: running it twice writes the same bytes. Every figure
the seed report states is asserted here; the script stops with an AssertionError if the data
drifts from it. Working days are computed from crates/calendar/data/bank-holidays.json
(england-and-wales), and, when target/release/redress exists, every deadline is also checked
against `redress workdays add`.

    python3 scripts/make_demo_data.py           # write the files, check and print the figures
"""

import csv
import datetime as dt
import io
import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "demo" / "westminster"
CALENDAR_FILE = ROOT / "crates" / "calendar" / "data" / "bank-holidays.json"
BINARY = ROOT / "target" / "release" / "redress"

PREFIX = "WCC"

CASE_COLUMNS = [
    "reference", "received_on", "procedure", "team", "reason", "channel", "complainant_role",
    "child_complained", "advocacy_offered", "advocacy_taken_up", "resolved_at_initial_contact",
    "rejected_reason", "stage1_started_on", "stage1_extended", "stage1_responded_on",
    "stage1_outcome", "stage2_started_on", "stage2_extended", "stage2_responded_on",
    "stage2_outcome", "stage3_started_on", "stage3_panel_on", "stage3_responded_on",
    "stage3_outcome", "ombudsman_decision", "ombudsman_decided_on", "withdrawn_on", "closed_on",
]
COMPLIMENT_COLUMNS = ["received_on", "team", "summary", "consent_to_publish"]

# Timescales, in working days, as the built-in procedures define them.
LIMITS = {
    ("statutory", 1): (10, 20),
    ("statutory", 2): (25, 65),
    ("corporate", 1): (10, 20),
    ("corporate", 2): (10, 10),
}
PANEL_MEET_WITHIN = 30
PANEL_RESPONSE_WITHIN = 20  # report within 5, council's response within 15 of the report

YEARS = {
    2019: (dt.date(2019, 4, 1), dt.date(2020, 3, 31)),
    2020: (dt.date(2020, 4, 1), dt.date(2021, 3, 31)),
}

# Teams, exactly as the seed report's table names them.
AA = "Access & Assessment Team"
SEN = "Special Educational Needs"
NESW = "North East Social Work Team"
FA = "Fostering and Adoption Team"
DCT = "Disabled Children's Team"
NEEH = "North East Early Help Team"
LAC = "Looked After Children & Leaving Care"
SS = "School Standards"
SB = "Short breaks"
LOC = "Localities"
# Teams that appear only in compliments (Appendix C of the seed).
NWCP = "North West Child Protection Team"
EYE = "Early Years and Education"
GANGS = "Gangs and Serious Youth Violence Service"

# Reasons.
F = "Failure or refusal to provide a service"
COMM = "Communication"
STAFF = "Staff attitude or conduct"
QUAL = "Quality of service"
DELAY = "Delay in providing a service"
ASSESS = "Assessment outcome"
CONTACT = "Contact arrangements"
DISAGREE = "Disagreement with a decision"
INFO = "Information sharing"
TRANSPORT = "Transport"

OTHER_LA = "concerns another local authority"

RESPONSES = ("upheld", "partially_upheld", "not_upheld")
OUTCOME = {"U": "upheld", "P": "partially_upheld", "N": "not_upheld"}


# --------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------

def load_holidays():
    with open(CALENDAR_FILE, encoding="utf-8") as f:
        data = json.load(f)
    return {dt.date.fromisoformat(e["date"]) for e in data["england-and-wales"]["events"]}


HOLIDAYS = load_holidays()


def is_working_day(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def add_wd(d, n):
    """The n-th working day after d (d itself is day zero)."""
    while n > 0:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def wd_between(a, b):
    """Working days in (a, b]."""
    count, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count


def on_or_after_working_day(d):
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def D(text):
    return dt.date.fromisoformat(text)


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------

class Case:
    """One complaint. Stage dates are worked out from offsets in working days."""

    def __init__(self, key, received, procedure, team, reason, channel, role):
        self.key = key
        self.reference = None
        self.received = received
        self.procedure = procedure
        self.team = team
        self.reason = reason
        self.channel = channel
        self.role = role
        self.child = False
        self.advocacy_offered = False
        self.advocacy_taken_up = False
        self.resolved = False
        self.rejected_reason = ""
        self.stages = []  # dicts: number, started, extended, responded, outcome, panel
        self.ombudsman = None  # (decision, decided_on) carried by the CSV
        self.closed = None

    # Stage helpers --------------------------------------------------------------------------
    def stage1(self, k, outcome, extended=False):
        start = self.received
        self.stages.append(dict(number=1, started=start, extended=extended,
                                responded=add_wd(start, k), outcome=outcome, panel=None))
        return self

    def stage2(self, after, k, outcome, extended=False):
        start = add_wd(self.stages[-1]["responded"], after)
        self.stages.append(dict(number=2, started=start, extended=extended,
                                responded=add_wd(start, k), outcome=outcome, panel=None))
        return self

    def stage3(self, after, panel_after, respond_after, outcome):
        start = add_wd(self.stages[-1]["responded"], after)
        panel = add_wd(start, panel_after)
        self.stages.append(dict(number=3, started=start, extended=False,
                                responded=add_wd(panel, respond_after), outcome=outcome,
                                panel=panel))
        return self

    def stage(self, n):
        return next((s for s in self.stages if s["number"] == n), None)

    def last_response(self):
        if self.stages:
            return self.stages[-1]["responded"]
        return self.received

    def close_after(self, working_days):
        self.closed = add_wd(self.last_response(), working_days)
        return self

    # Timeliness -----------------------------------------------------------------------------
    def deadline(self, n):
        s = self.stage(n)
        if n == 3:
            return None
        limit, cap = LIMITS[(self.procedure, n)]
        return add_wd(s["started"], cap if s["extended"] else limit)

    def within(self, n):
        s = self.stage(n)
        if s is None or s["outcome"] not in RESPONSES:
            return None
        if n == 3:
            return (s["panel"] <= add_wd(s["started"], PANEL_MEET_WITHIN)
                    and s["responded"] <= add_wd(s["panel"], PANEL_RESPONSE_WITHIN))
        return s["responded"] <= self.deadline(n)

    # CSV ------------------------------------------------------------------------------------
    def row(self):
        yn = lambda b: "yes" if b else "no"
        iso = lambda d: d.isoformat() if d else ""
        r = dict.fromkeys(CASE_COLUMNS, "")
        r.update(
            reference=self.reference,
            received_on=iso(self.received),
            procedure=self.procedure,
            team=self.team or "",
            reason=self.reason or "",
            channel=self.channel,
            complainant_role=self.role,
            child_complained=yn(self.child),
            advocacy_offered=yn(self.advocacy_offered),
            advocacy_taken_up=yn(self.advocacy_taken_up),
            resolved_at_initial_contact=yn(self.resolved),
            rejected_reason=self.rejected_reason,
            closed_on=iso(self.closed),
        )
        for s in self.stages:
            n = s["number"]
            r[f"stage{n}_started_on"] = iso(s["started"])
            if n < 3:
                r[f"stage{n}_extended"] = yn(s["extended"])
            else:
                r["stage3_panel_on"] = iso(s["panel"])
            r[f"stage{n}_responded_on"] = iso(s["responded"])
            r[f"stage{n}_outcome"] = s["outcome"]
        if self.ombudsman:
            r["ombudsman_decision"], decided = self.ombudsman
            r["ombudsman_decided_on"] = iso(decided)
        return [r[c] for c in CASE_COLUMNS]


# The 2020/21 complaints, one a line, in order of receipt:
# key, received, procedure, team, reason, channel, complainant role, Stage 1 kind, working days
# to the Stage 1 response, outcome. Stage 1 kinds: W within 10 working days, X extended to 20
# and within, L late (not extended), XL extended and still late, RES resolved at initial
# contact, REJ rejected. The late ones are mostly letters received while the team worked from
# home without access to post (April to August 2020), as the seed report explains.
CASES_2020 = [
    (1, "2020-04-02", "corporate", SEN, F, "post", "parent", "L", 31, "N"),
    (2, "2020-04-07", "corporate", NEEH, F, "post", "parent", "L", 34, "P"),
    (3, "2020-04-15", "corporate", LAC, F, "email", "care_leaver", "W", 9, "N"),
    (4, "2020-04-20", "statutory", NESW, F, "email", "parent", "W", 10, "N"),
    (5, "2020-04-23", "corporate", SS, DISAGREE, "post", "parent", "L", 28, "N"),
    (6, "2020-04-29", "corporate", LOC, COMM, "email", "parent", "W", 7, "N"),
    (7, "2020-05-05", "corporate", SEN, TRANSPORT, "post", "parent", "L", 36, "P"),
    (8, "2020-05-11", "corporate", NEEH, F, "post", "parent", "L", 29, "N"),
    (9, "2020-05-14", "corporate", LOC, F, "phone", "parent", "RES", 0, ""),
    (10, "2020-05-19", "corporate", AA, INFO, "email", "parent", "W", 10, "N"),
    (11, "2020-05-27", "corporate", LAC, F, "post", "relative", "XL", 27, "P"),
    (12, "2020-06-02", "corporate", SEN, F, "email", "parent", "X", 16, "N"),
    (13, "2020-06-08", "statutory", LAC, CONTACT, "advocate", "child", "W", 9, "P"),
    (14, "2020-06-11", "corporate", NEEH, STAFF, "post", "parent", "L", 32, "P"),
    (15, "2020-06-16", "corporate", SS, F, "email", "parent", "W", 8, "N"),
    (16, "2020-06-22", "corporate", None, None, "email", "parent", "REJ", 0, ""),
    (17, "2020-06-25", "corporate", LOC, DELAY, "post", "parent", "L", 26, "U"),
    (18, "2020-07-01", "corporate", AA, ASSESS, "email", "parent", "W", 6, "N"),
    (19, "2020-07-06", "corporate", NEEH, F, "post", "parent", "L", 30, "P"),
    (20, "2020-07-09", "statutory", FA, QUAL, "email", "foster_carer", "X", 18, "P"),
    (21, "2020-07-14", "corporate", LAC, COMM, "email", "carer", "W", 10, "U"),
    (22, "2020-07-20", "corporate", SEN, F, "web", "parent", "W", 9, "N"),
    (23, "2020-07-23", "corporate", LOC, F, "councillor_or_mp", "parent", "W", 7, "P"),
    (24, "2020-07-28", "corporate", NEEH, F, "post", "parent", "XL", 24, "N"),
    (25, "2020-08-04", "corporate", SS, QUAL, "post", "parent", "L", 33, "P"),
    (26, "2020-08-10", "corporate", LAC, CONTACT, "email", "carer", "W", 5, "N"),
    (27, "2020-08-13", "corporate", AA, COMM, "email", "parent", "W", 10, "N"),
    (28, "2020-08-19", "corporate", SEN, ASSESS, "email", "parent", "X", 15, "N"),
    (29, "2020-08-24", "statutory", DCT, ASSESS, "email", "parent", "X", 19, "N"),
    (30, "2020-09-01", "corporate", SB, F, "phone", "parent", "W", 8, "U"),
    (31, "2020-09-03", "corporate", NEEH, DISAGREE, "email", "parent", "W", 9, "N"),
    (32, "2020-09-09", "corporate", LOC, F, "email", "parent", "L", 25, "N"),
    (33, "2020-09-14", "corporate", LAC, F, "email", "carer", "W", 10, "P"),
    (34, "2020-09-21", "statutory", AA, COMM, "phone", "relative", "W", 6, "N"),
    (35, "2020-09-28", "corporate", SS, TRANSPORT, "email", "parent", "W", 9, "N"),
    (36, "2020-10-01", "corporate", NESW, STAFF, "email", "parent", "W", 10, "N"),
    (37, "2020-10-06", "corporate", NEEH, QUAL, "web", "parent", "W", 8, "U"),
    (38, "2020-10-12", "corporate", LAC, DELAY, "email", "carer", "X", 17, "U"),
    (39, "2020-10-19", "corporate", SEN, F, "email", "parent", "W", 10, "P"),
    (40, "2020-10-22", "corporate", None, None, "post", "parent", "REJ", 0, ""),
    (41, "2020-11-02", "statutory", NESW, DISAGREE, "email", "parent", "X", 13, "N"),
    (42, "2020-11-05", "corporate", LOC, QUAL, "email", "parent", "W", 9, "N"),
    (43, "2020-11-10", "corporate", NEEH, F, "email", "parent", "W", 7, "P"),
    (44, "2020-11-16", "corporate", LAC, STAFF, "email", "care_leaver", "W", 10, "N"),
    (45, "2020-11-19", "corporate", SS, F, "post", "parent", "W", 8, "N"),
    (46, "2020-11-25", "corporate", NEEH, COMM, "phone", "parent", "RES", 0, ""),
    (47, "2020-12-01", "corporate", SEN, F, "councillor_or_mp", "parent", "L", 28, "U"),
    (48, "2020-12-07", "corporate", NESW, F, "email", "parent", "W", 10, "N"),
    (49, "2020-12-14", "corporate", LAC, CONTACT, "email", "relative", "X", 12, "N"),
    (50, "2020-12-18", "corporate", AA, DELAY, "email", "parent", "X", 14, "N"),
    (51, "2021-01-06", "corporate", FA, COMM, "email", "prospective_adopter", "W", 9, "N"),
    (52, "2021-01-12", "corporate", SEN, TRANSPORT, "email", "parent", "XL", 25, "P"),
    (53, "2021-01-19", "corporate", NEEH, F, "web", "parent", "W", 10, "N"),
    (54, "2021-01-27", "corporate", LAC, INFO, "email", "relative", "W", 6, "U"),
    (55, "2021-02-03", "corporate", LOC, F, "email", "parent", "W", 8, "U"),
    (56, "2021-02-10", "corporate", NEEH, DELAY, "phone", "parent", "W", 9, "P"),
    (57, "2021-02-22", "corporate", SS, STAFF, "email", "parent", "W", 7, "U"),
    (58, "2021-03-08", "corporate", LAC, F, "email", "carer", "W", 9, "N"),
]


def build_case(key, received, procedure, team, reason, channel, role, kind, k, outcome):
    c = Case(key, received, procedure, team, reason, channel, role)
    if kind == "RES":
        c.resolved = True
    elif kind == "REJ":
        c.rejected_reason = OTHER_LA
    else:
        c.stage1(k, OUTCOME[outcome], extended=kind in ("X", "XL"))
    return c


def cases_2020():
    cases = {}
    for (n, received, procedure, team, reason, channel, role, kind, k, outcome) in CASES_2020:
        cases[n] = build_case(f"2020/21 #{n}", D(received), procedure, team, reason, channel,
                              role, kind, k, outcome)

    # Children and young people who complained themselves; advocacy offered to each.
    for n in (3, 13, 44):
        cases[n].child = True
        cases[n].advocacy_offered = True
    cases[13].advocacy_taken_up = True

    # Stage 2 (seed 3.5): the four non-statutory complaints, in the seed's order.
    cases[3].stage2(12, 9, "not_upheld")         # leaving care grant, back-dated
    cases[10].stage2(7, 10, "partially_upheld")  # section 17 report not shared, inaccurate
    cases[18].stage2(15, 8, "not_upheld")        # single assessment omitted the child's issues
    cases[31].stage2(10, 10, "not_upheld")       # letter in support of a victim of domestic abuse

    # The statutory complaint (seed 3.4): Stage 2 extended to 65 working days, then a review
    # panel, all within the statutory timescales. Closed in transitions.json once the panel's
    # recommendations are recorded.
    cases[4].stage2(8, 55, "partially_upheld", extended=True)
    cases[4].stage3(12, 24, 18, "partially_upheld")

    # The LGSCO decided a statutory complaint was out of jurisdiction: a matter for the court.
    cases[41].ombudsman = ("out_of_jurisdiction", D("2021-02-25"))

    for n, c in cases.items():
        if n == 4 or n == 58:
            continue  # 4 is closed by transitions.json; 58 is still in its escalation window
        c.close_after(3 if c.stages else 1)
    return cases


# 2019/20: a handful of cases are set by hand (the two that reached the LGSCO in 2020/21, the
# Stage 2 and Stage 3 escalations, the LGSCO decisions of that year); the rest are generated
# from exact quotas with a fixed seed.
TEAMS_2019 = {AA: 9, SEN: 13, NESW: 8, FA: 4, DCT: 3, NEEH: 15, LAC: 14, SS: 8, SB: 2, LOC: 7}
STATUTORY_2019 = {AA: 2, NESW: 2, LAC: 3, DCT: 1, FA: 1}
KINDS_2019 = {"W": 56, "X": 8, "L": 13, "XL": 4}  # 64 within, 17 late
OUTCOMES_2019 = {"U": 14, "P": 21, "N": 46}

REASONS_BY_TEAM = {
    SEN: [(F, 4), (COMM, 2), (DELAY, 2), (ASSESS, 2), (TRANSPORT, 1), (STAFF, 1), (QUAL, 1)],
    SS: [(F, 3), (DISAGREE, 2), (COMM, 1), (TRANSPORT, 1), (QUAL, 1)],
    LAC: [(F, 4), (CONTACT, 2), (COMM, 2), (STAFF, 1), (INFO, 1), (DELAY, 1)],
    NEEH: [(F, 4), (COMM, 2), (QUAL, 2), (STAFF, 1), (DELAY, 1), (INFO, 1)],
    AA: [(F, 3), (ASSESS, 2), (COMM, 1), (INFO, 1), (STAFF, 1), (DISAGREE, 1)],
    NESW: [(F, 3), (CONTACT, 2), (DISAGREE, 2), (STAFF, 1), (INFO, 1), (COMM, 1)],
    FA: [(QUAL, 2), (COMM, 2), (F, 2), (DISAGREE, 1)],
    DCT: [(F, 3), (ASSESS, 2), (DELAY, 1)],
    SB: [(F, 2), (QUAL, 1), (DELAY, 1)],
    LOC: [(F, 3), (COMM, 2), (QUAL, 1), (DELAY, 1), (STAFF, 1)],
}
ROLES_BY_TEAM = {
    LAC: [("carer", 3), ("relative", 2), ("parent", 2), ("special_guardian", 1)],
    FA: [("foster_carer", 3), ("prospective_adopter", 1), ("special_guardian", 1)],
    AA: [("parent", 6), ("relative", 1), ("professional", 1)],
    NESW: [("parent", 6), ("relative", 1), ("special_guardian", 1)],
}
CHANNELS = [("email", 52), ("web", 12), ("post", 14), ("phone", 10), ("councillor_or_mp", 5),
            ("in_person", 3)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.randrange(total)
    for value, w in pairs:
        if x < w:
            return value
        x -= w
    raise AssertionError


def cases_2019():
    special = {}

    def add(key, received, procedure, team, reason, channel, role, kind, k, outcome):
        c = build_case(key, D(received), procedure, team, reason, channel, role, kind, k,
                       outcome)
        special[key] = c
        return c

    # A Stage 3 in 2019/20, within timescale.
    add("stage3", "2019-05-13", "statutory", LAC, CONTACT, "email", "parent", "W", 10, "P") \
        .stage2(10, 48, "partially_upheld", extended=True) \
        .stage3(15, 26, 17, "not_upheld")
    # The foster carer who later went to the LGSCO (fault causing injustice, decided 2020/21).
    add("foster", "2019-06-10", "corporate", FA, COMM, "email", "foster_carer", "W", 9, "N") \
        .stage2(14, 10, "not_upheld")
    add("s2-neeh", "2019-07-22", "corporate", NEEH, F, "email", "parent", "L", 27, "P") \
        .stage2(5, 10, "upheld")
    add("premature", "2019-08-05", "corporate", NESW, DISAGREE, "email", "parent", "W", 8, "N")
    # The parent whose travel assistance application the LGSCO found was not properly
    # considered (fault causing injustice, decided 2020/21).
    add("travel", "2019-09-16", "corporate", SEN, TRANSPORT, "email", "parent", "W", 10, "N") \
        .stage2(9, 9, "not_upheld")
    add("s2-stat", "2019-10-07", "statutory", AA, ASSESS, "post", "parent", "X", 17, "N") \
        .stage2(11, 23, "not_upheld")
    add("s2-loc", "2019-11-25", "corporate", LOC, STAFF, "phone", "relative", "W", 8, "N") \
        .stage2(13, 13, "not_upheld")
    c = add("careleaver", "2019-12-02", "corporate", LAC, F, "email", "care_leaver", "W", 9, "P")
    c.child = c.advocacy_offered = c.advocacy_taken_up = True
    add("s2-ss", "2020-01-20", "corporate", SS, DISAGREE, "email", "parent", "W", 9, "N") \
        .stage2(10, 9, "not_upheld")
    add("nofault", "2019-04-15", "corporate", SEN, F, "email", "parent", "W", 7, "N")
    special["premature"].ombudsman = ("premature", D("2019-10-24"))
    special["nofault"].ombudsman = ("no_fault", D("2020-02-27"))

    # Quotas left for the generated cases.
    teams = Counter(TEAMS_2019)
    statutory = Counter(STATUTORY_2019)
    kinds = Counter(KINDS_2019)
    outcomes = Counter(OUTCOMES_2019)
    for c in special.values():
        teams[c.team] -= 1
        if c.procedure == "statutory":
            statutory[c.team] -= 1
        s1 = c.stage(1)
        kind = ("X" if s1["extended"] else "W") if c.within(1) else (
            "XL" if s1["extended"] else "L")
        kinds[kind] -= 1
        outcomes[{v: k for k, v in OUTCOME.items()}[s1["outcome"]]] -= 1
    assert min(list(teams.values()) + list(statutory.values()) + list(kinds.values())
               + list(outcomes.values())) >= 0

    rng = random.Random(201920)
    team_slots = sorted(teams.elements())
    rng.shuffle(team_slots)
    n_generated = len(team_slots) + 2  # and two rejected, without a team
    kind_slots = sorted(kinds.elements())
    outcome_slots = sorted(outcomes.elements())
    rng.shuffle(kind_slots)
    rng.shuffle(outcome_slots)
    # Two of the teamed slots are resolved at initial contact instead of going to Stage 1.
    assert len(kind_slots) == len(team_slots) - 2 == len(outcome_slots)
    slots = [("team", t) for t in team_slots] + [("rejected", None)] * 2
    rng.shuffle(slots)
    resolved_positions = set()
    teamed = [i for i, s in enumerate(slots) if s[0] == "team" and s[1] not in (FA, DCT)]
    resolved_positions.update(rng.sample(teamed, 2))

    # Received dates: spread evenly over the year, working days only, none clashing with a
    # hand-set case's date.
    start, end = YEARS[2019]
    taken = {c.received for c in special.values()}
    span = (end - start).days - 14  # the last fortnight's cases are still responded in time
    generated = {}
    for i, slot in enumerate(slots):
        day = start + dt.timedelta(days=int((i + 0.5) * span / n_generated) + rng.randrange(3))
        day = on_or_after_working_day(day)
        while day in taken:
            day = on_or_after_working_day(day + dt.timedelta(days=1))
        taken.add(day)
        key = f"gen{i:02d}"
        channel = weighted(rng, CHANNELS)
        if slot[0] == "rejected":
            c = Case(key, day, "corporate", None, None, channel, "parent")
            c.rejected_reason = OTHER_LA
            c.close_after(1)
            generated[key] = c
            continue
        team = slot[1]
        procedure = "corporate"
        if statutory[team] > 0:
            procedure = "statutory"
            statutory[team] -= 1
        reason = weighted(rng, REASONS_BY_TEAM[team])
        role = weighted(rng, ROLES_BY_TEAM.get(team, [("parent", 12), ("relative", 1)]))
        c = Case(key, day, procedure, team, reason, channel, role)
        if i in resolved_positions:
            c.resolved = True
            c.close_after(1)
        else:
            kind = kind_slots.pop()
            k = {"W": rng.randint(4, 10), "X": rng.randint(11, 20),
                 "L": rng.randint(12, 30), "XL": rng.randint(22, 32)}[kind]
            c.stage1(k, OUTCOME[outcome_slots.pop()], extended=kind in ("X", "XL"))
            c.close_after(rng.randint(1, 5))
        generated[key] = c
    assert sum(statutory.values()) == 0, statutory

    for c in special.values():
        c.close_after(3 if c.stages else 1)
    return {**special, **generated}


def assign_references(all_cases):
    """WCC-YYYY-NNNN: the calendar year of receipt, numbered in order of receipt."""
    counters = Counter()
    for c in sorted(all_cases, key=lambda c: (c.received, c.key)):
        year = c.received.year
        counters[year] += 1
        c.reference = f"{PREFIX}-{year}-{counters[year]:04d}"


# --------------------------------------------------------------------------------------------
# Transitions: LGSCO decisions with remedies, panel recommendations and learning
# --------------------------------------------------------------------------------------------

LEARNING = {
    "a": "The need for parents to be kept informed and updated about changes to a school route, "
         "especially where a child with special educational needs is affected.",
    "b": "Improved communications between social workers and service users in general.",
    "c": "Social workers to produce a leaflet that explains how an assessment is carried out and "
         "tells the service user of their right to view the draft report and comment where they "
         "disagree with what has been written.",
    "d": "Provide domestic abuse training for social workers so that they can identify male "
         "survivors of domestic abuse and signpost them to relevant support as required.",
    "e": "Where management have identified tasks for action by a social worker and some of those "
         "tasks cannot be completed, a case note recording the incomplete action must be "
         "included in the case file.",
    "f": "Case recording must be good enough for clear, accurate and thorough review of case "
         "files: remind staff to follow case recording procedures and to upload and record "
         "information, including emails, on the electronic systems.",
    "g": "The child protection process can be stressful and emotional: give families time to "
         "process information, and consider written information (a leaflet, for example) that "
         "explains the key trigger points of the process.",
}

RECOMMENDATIONS = [
    "Continue to roll out the training programme so that staff have sufficient awareness of "
    "domestic violence to ensure that there is no institutional blindness going forwards when "
    "men are the victims.",
    "Through one of the voluntary sector organisations set up for male victims of domestic "
    "violence, consider inviting a male victim to participate in future training programmes.",
    "Ensure that all evidence sent in support of a complaint or an allegation is correctly "
    "recorded on the case recording system (Mosaic) used by social workers.",
]


def transitions(c2020, c2019):
    out = []

    def t(case, **transition):
        out.append({"reference": case.reference, "transition": transition})

    # Fault causing injustice: the foster carer sent five confusing responses.
    foster = c2019["foster"]
    t(foster, transition="record_ombudsman_decision", decision="fault_injustice",
      decided_on="2020-10-15", lgsco_reference="20 004 517", remedies=[
          {"kind": "apology",
           "description": "Apologise to the foster carer for the confusion caused by five "
                          "written responses that did not say which stage the complaint was at.",
           "due_on": "2020-11-12"},
          {"kind": "payment",
           "description": "Pay the foster carer £300 for the time and trouble of pursuing the "
                          "complaint and the uncertainty caused.",
           "amount_pence": 30000, "due_on": "2020-11-12"},
          {"kind": "service_improvement",
           "description": "Review the complaint response letters so that every response says "
                          "which stage of the procedure the complaint is at and what the "
                          "complainant can do next, and share the revised templates with every "
                          "manager who responds to complaints.",
           "due_on": "2021-01-14"},
      ])
    t(foster, transition="complete_remedy", ombudsman=0, remedy=0, on="2020-11-06")
    t(foster, transition="complete_remedy", ombudsman=0, remedy=1, on="2020-11-10")
    t(foster, transition="complete_remedy", ombudsman=0, remedy=2, on="2021-01-28")  # late

    # Fault causing injustice: a travel assistance application not properly considered.
    travel = c2019["travel"]
    t(travel, transition="record_ombudsman_decision", decision="fault_injustice",
      decided_on="2021-02-18", lgsco_reference="20 009 832", remedies=[
          {"kind": "apology",
           "description": "Apologise to the parent for failing to properly consider her "
                          "application for travel assistance for her daughter.",
           "due_on": "2021-03-18"},
          {"kind": "service_improvement",
           "description": "Review the travel assistance policy on appeals to ensure it complies "
                          "with Government guidance.",
           "due_on": "2021-05-18"},
      ])
    t(travel, transition="complete_remedy", ombudsman=0, remedy=0, on="2021-03-12")
    # The policy review is still outstanding at 31 March 2021.

    # The Stage 3 review panel's recommendations (seed 3.4) and the learning it prompted.
    panel = c2020[4]
    t(panel, transition="add_action", kind="recommendation", description=RECOMMENDATIONS[0],
      owner_team=NESW, due_on="2021-03-31")
    t(panel, transition="add_action", kind="recommendation", description=RECOMMENDATIONS[1],
      owner_team=NESW, due_on="2021-06-30")
    t(panel, transition="add_action", kind="recommendation", description=RECOMMENDATIONS[2],
      owner_team=AA, due_on="2021-01-29")
    t(panel, transition="add_action", kind="learning", description=LEARNING["d"],
      owner_team=NESW, due_on="2021-03-31")
    closed_on = add_wd(panel.stage(3)["responded"], 6)
    t(panel, transition="close", on=closed_on.isoformat())
    t(panel, transition="complete_action", action=2, on="2021-01-22")
    t(panel, transition="complete_action", action=3, on="2021-03-19")

    # Learning from other 2020/21 complaints (seed 4.2).
    learning = [
        ("a", c2020[7], SEN, "2020-09-30", "2020-09-21"),
        ("b", c2020[21], LAC, "2020-12-31", "2020-12-14"),
        ("c", c2020[18], AA, "2021-03-31", None),
        ("e", c2020[36], NESW, "2021-01-29", "2021-01-15"),
        ("f", c2020[10], AA, "2020-12-18", "2020-11-30"),
        ("g", c2020[41], NESW, "2021-04-30", None),
    ]
    for letter, case, team, due, done in learning:
        t(case, transition="add_action", kind="learning", description=LEARNING[letter],
          owner_team=team, due_on=due)
        if done:
            t(case, transition="complete_action", action=0, on=done)
    return out


# --------------------------------------------------------------------------------------------
# Compliments
# --------------------------------------------------------------------------------------------

COMPLIMENTS_2020 = {SEN: 14, LAC: 9, SB: 7, AA: 6, NESW: 6, NEEH: 4, NWCP: 4, EYE: 4, FA: 3,
                    GANGS: 2}
COMPLIMENTS_2019 = {SEN: 9, LAC: 8, NEEH: 7, AA: 6, NESW: 5, SB: 5, FA: 4, NWCP: 3, EYE: 2,
                    DCT: 2}

SUMMARIES = {
    SEN: [
        "Parent thanked the SEN officer for running the annual review meeting calmly and efficiently.",
        "Parent thanked the team for a prompt response to a concern.",
        "Parent thanked the SEN officer for the time and effort put into the child's EHCP.",
        "School SENCo praised the team's support during the move to online annual reviews.",
        "Parent thanked the SEN case officer for keeping the family updated throughout the assessment.",
    ],
    LAC: [
        "Young person thanked the social worker for helping them and their brother settle in England.",
        "Care leaver praised their personal adviser for help with housing and finding work.",
        "Parent and young person praised the duty worker for listening and being kind.",
        "Foster carer thanked the social worker for support during lockdown.",
    ],
    SB: [
        "Parent thanked the team for the help and support given to the family.",
        "Parent said the Tresham staff were extremely helpful and her only helpline.",
        "Parent thanked the team for online mentoring and autism awareness courses.",
    ],
    AA: [
        "Partner agency thanked the team for its hard work and commitment in a difficult year.",
        "Parent thanked the duty social worker for a quick and caring response.",
        "School thanked the team for clear advice on a referral.",
    ],
    NESW: [
        "Family praised the social worker's work to make sure their child's needs were met.",
        "The judge praised the social worker's comprehensive, thorough and balanced evidence.",
        "Parent thanked the social worker for support through a child protection plan.",
    ],
    NEEH: [
        "Parent thanked the family support worker for practical help during lockdown.",
        "Parent said the parenting group had made a real difference at home.",
    ],
    NWCP: [
        "Parent said the social worker had gone out of her way many times to help the family.",
        "Parents praised the social worker's support and reassurance around contact.",
    ],
    EYE: [
        "Colleague thanked the team for an excellent early years conference.",
        "Nursery manager thanked the team for guidance on reopening safely.",
    ],
    FA: [
        "Adopters thanked the social worker for support through the matching process.",
        "Foster carer praised the supervising social worker's regular contact during lockdown.",
    ],
    GANGS: [
        "Partner agency thanked the service for an informative presentation on serious youth violence.",
    ],
    DCT: [
        "Parent thanked the social worker for arranging an occupational therapy assessment quickly.",
    ],
}


def compliments(year, quotas, seed):
    rng = random.Random(seed)
    teams = sorted(Counter(quotas).elements())
    rng.shuffle(teams)
    start, end = YEARS[year]
    span = (end - start).days
    used = Counter()
    rows = []
    for i, team in enumerate(teams):
        day = on_or_after_working_day(
            start + dt.timedelta(days=int((i + 0.3) * span / len(teams)) + rng.randrange(3)))
        if day > end:
            day = end
            while not is_working_day(day):
                day -= dt.timedelta(days=1)
        options = SUMMARIES[team]
        summary = options[used[team] % len(options)]
        used[team] += 1
        consent = "yes" if rng.random() < 0.3 else "no"
        rows.append([day.isoformat(), team, summary, consent])
    return rows


# --------------------------------------------------------------------------------------------
# Narrative (officer-written sections of the 2020/21 report, from the seed)
# --------------------------------------------------------------------------------------------

NARRATIVE = {
    "learning.md": """\
An important aspect of the culture in Children's Services is learning from complaints. Team Managers responding to complaints are encouraged to identify any failings within the service as part of their response, and to inform the resident of actions which will be taken to prevent a reoccurrence.

In addition to the recommendations made by the Investigation Team for statutory complaints across the Bi-Borough Children's services, listed below are some of the learnings identified by services across all complaints.

- The need for parents to be kept informed/updated about changes to a school route especially where a special needs child is affected.
- Improved communications between Social workers and service users in general.
- The need for Social Workers to produce a leaflet that details information on how an assessment is carried out and which informs the service user of their right to view the draft report and make comments where they disagree with what's been written.
- The need to provide domestic abuse training for Social workers to enable them to identify male survivors of domestic abuse and signpost them to relevant support as required.
- Where management have identified tasks for action by a Social Worker and some of those tasks cannot be completed, a case note as to the action that is incomplete must be included within the case file records.
- Case recording needs to be of a sufficient level to enable clear accurate and thorough reviewing of case files. Relevant staff should be reminded of the importance of following case recording procedures and ensuring that information (including emails) are routinely uploaded and properly recorded on to the electronic systems.
- The child protection process can be a stressful and an emotional environment. Social work teams should ensure that families have time to process information in their own time, and also, consideration should be given to the production of written information (in the form of a leaflet, for example) which explains key trigger points of the process.
""",
    "service_improvements.md": """\
Following on from learnings identified from complaints, some service improvements have been put in place to demonstrate that the service actively listens to and takes feedback from complainants seriously. Please find below some service improvements made:

- The assessment team has been working in how assessments are carried out, thinking particularly about engagement with referrers, and how to better engage with families and professionals together.
- In response to some informal complaints received, the service is considering whether the MARF can be amended to better capture the families' agreement to referral.
- A group of senior practitioners in the assessment team are working together to devise better ways of capturing family feedback on conclusion of assessments. This is part of the work currently being done in the team's quarterly forums – "Towards an anti-racist front door".
- The Section 20 template for young people when they make the decision to come into care has been redesigned.
""",
    "priorities.md": """\
The key priorities for the Customer Relationship Team over the next 12 months are as follows:

- To review the current process being adopted when a new complaint is received. One approach may be to arrange a Teams meeting (in view of current restrictions still in place) within three days of receipt so that the process of investigating and drafting the response is started much earlier.
- To reduce the number of complaint escalation requests received for stage 2 and 3 complaints by ensuring that the responses at stage 1 are robust, fair and transparent.
- To continue to promote the functions of the team in relation to complaints handling across the service by organising lunch and learn sessions and inviting colleagues from various teams to attend.
- To promote good systemic practice among service users – such as calling a complainant to better understand their concerns and facilitating meetings between the relevant team and the service users. Thereby making the complaints process less daunting.
- The Team to avail themselves of relevant courses and training which will enhance the quality of complaint responses.
""",
    "delivery_against_priorities.md": """\
Information on the progress made against each of the priorities set for the Team for 2020/21 is outlined below.

- To track learning outcomes and recommendations from Stage 2 & 3 complaints and to share these with Senior Management and services on a quarterly basis.

Learnings and recommendations are captured on the case management system – Integrated Casework (ICW) and these are shared with the relevant Director, service and the Heads of Service quarterly.

- To review recommendations and work with other teams within the service to ensure case specific and service wide commitments to change in approach, or practise is completed, and service delivery improved.

Most of the recommendations received especially from the Local Government and Social Care Ombudsman (LGSCO) are time specific. The Team shares these with the Director and relevant team managers and ensures that the recommendations are carried out by the specified dates. For example, where the LGSCO recommends that an apology and some financial compensation be made to the complainant within a month from the date of the issue of the final report - The Team works together with the service to draft the letter and ensure that the recommendation is completed by the date specified. The Team also processes the payment and keeps the complainant updated. Once all the tasks have been finished, the Team feeds back to the LGSCO for completeness.

- To compile datasets and complaint themes identified from stage 1 complaints and to share these with respective teams within the service, thereby supporting areas of improvement and embed better ways of working.

The complaints case management system captures data accurately and is used by the Team to produce data for quarterly reporting on complaints. This data and the themes identified is shared with respective social care teams. They in turn use the themes to drive service change and improve on the quality of services offered to service users.

- To continue to promote agile and flexible approaches to resolving complaints, meeting with the service managers for each statutory complaint accepted by the Team with a view to resolving these in 10 working days.

The Team continues to meet with service managers to consider the complaint received and decide on the best approach to resolving the concerns.
""",
    "stage2_summaries.md": """\
Regarding the non-statutory complaints considered at stage 2, please find below an explanation of the cause of the complaints.

- One of the complaints was from a young person requesting for back dated payment of the leaving care grant. This was a historic complaint as the young person was involved with Family services back in 2015 and accommodated under s20 of the Children's act.
- The 2nd non-statutory complaint was about a sec 17 report in which the parent stated that he was not given a copy of the report and it contained inaccurate information.
- The 3rd complaint focused on a single assessment carried out in relation to a child where it was alleged that the social worker had omitted to include in the report the numerous issues reported by the child.
- The 4th complaint related to a letter written in support of a victim of domestic abuse. The complainant felt that the contents of the letter would negatively affect his future contact with his children.
""",
    "stage3_summaries.md": """\
Only one of the complaints considered at stage 2 was a statutory complaint and this complaint progressed to stage 3. This was responded to within the Statutory complaints' procedure and timescales. This complaint related to the actions of the social worker in failing to identify the victim of domestic abuse in a family and therefore not providing the necessary support needed at that time.
""",
    "ombudsman_summaries.md": """\
In the case that the LGSCO did not investigate, this was because it was out of their jurisdiction. It was a matter for the Court to decide.

Regarding the complaints investigated by the Ombudsman, please find below a brief overview of each complaint.

- The Ombudsman found fault leading to injustice in both complaints. In the one case involving a foster carer, the Council provided five written responses to the complainant which was confusing as it was unclear as to what stage the complaint was at.
- The second complaint was about a parent who complained that the Council failed to properly consider her application for transport assistance for her daughter. The Ombudsman recommended that the Council should review its travel assistance policy on appeals to ensure that it complies with Government guidance.
""",
    "compliment_quotations.md": """\
A sample of compliments received across the teams in Children's Services.

Special Educational Needs

- Thank you for running yesterday's annual review meeting so calmly and efficiently. It was most helpful to have the relevant documents on the screen.

North East Social Work Team

- Sarah Jones was brilliant. She always called back when she said she would and never made us feel judged.

Looked After Children & Leaving Care

- When I changed personal advisers things really started to look up for me. He helped me leave the hostel and find my current job.

Short breaks

- Thank you for the amount of help and support you have given to my family.

Access & Assessment Team

- Thank you to you and your team for all your hard work and commitment in perhaps the most difficult year. It was great to see such care and consideration towards children at this time.
""",
}


# --------------------------------------------------------------------------------------------
# Figures, checks and output
# --------------------------------------------------------------------------------------------

def in_year(d, year):
    start, end = YEARS[year]
    return d is not None and start <= d <= end


def figures(year, cases, transitions_list, compliment_rows):
    received = [c for c in cases if in_year(c.received, year)]
    f = {"received": len(received)}
    f["statutory"] = sum(c.procedure == "statutory" for c in received)
    f["corporate"] = sum(c.procedure == "corporate" for c in received)
    f["resolved"] = sum(c.resolved for c in received)
    f["rejected"] = sum(bool(c.rejected_reason) for c in received)
    counted = [c for c in received if not c.rejected_reason]
    f["teams"] = Counter(c.team for c in counted)
    f["reasons"] = Counter(c.reason for c in counted)
    f["channels"] = Counter(c.channel for c in received)
    f["roles"] = Counter(c.role for c in received)
    f["child_complained"] = sum(c.child for c in received)
    f["advocacy_offered"] = sum(c.advocacy_offered for c in received)
    f["advocacy_taken_up"] = sum(c.advocacy_taken_up for c in received)
    for n in (1, 2, 3):
        stages = [(c, c.stage(n)) for c in cases
                  if c.stage(n) and in_year(c.stage(n)["started"], year)]
        responded = [(c, s) for c, s in stages if s["outcome"] in RESPONSES]
        f[f"s{n}_started"] = len(stages)
        f[f"s{n}_statutory"] = sum(c.procedure == "statutory" for c, _ in stages)
        f[f"s{n}_responded"] = len(responded)
        f[f"s{n}_within"] = sum(bool(c.within(n)) for c, _ in responded)
        f[f"s{n}_extended"] = sum(bool(s["extended"]) for _, s in stages)
        f[f"s{n}_outcomes"] = Counter(s["outcome"] for _, s in responded)
        f[f"s{n}_teams"] = Counter(c.team for c, _ in stages)
    decisions = Counter()
    for c in cases:
        if c.ombudsman and in_year(c.ombudsman[1], year):
            decisions[c.ombudsman[0]] += 1
    for item in transitions_list:
        tr = item["transition"]
        if tr["transition"] == "record_ombudsman_decision" and in_year(D(tr["decided_on"]), year):
            decisions[tr["decision"]] += 1
    f["ombudsman"] = decisions
    f["compliments"] = len(compliment_rows)
    f["compliment_teams"] = Counter(r[1] for r in compliment_rows)
    f["open"] = sum(c.closed is None for c in received)
    return f


def pct(a, b):
    return f"{100 * a / b:.1f}%" if b else "-"


def check_cases(all_cases, c2020):
    refs = [c.reference for c in all_cases]
    assert len(refs) == len(set(refs)), "references must be unique"
    for c in all_cases:
        where = f"{c.reference} ({c.key})"
        if c.rejected_reason:
            assert c.team is None and c.reason is None, where
        else:
            assert c.team and c.reason, where
        if c.resolved or c.rejected_reason:
            assert not c.stages, where
        else:
            assert c.stages and c.stages[0]["number"] == 1, where
        previous = c.received
        for s in c.stages:
            assert s["started"] >= previous, f"{where}: stage {s['number']} starts too early"
            if s["number"] > 1:
                # asked for within the 20 working days allowed after the previous response
                assert wd_between(previous, s["started"]) <= 20, where
            if s["panel"]:
                assert s["panel"] >= s["started"], where
                assert s["responded"] >= s["panel"], where
            assert s["responded"] >= s["started"], where
            assert s["outcome"] in RESPONSES, where
            previous = s["responded"]
        if c.closed:
            assert c.closed >= c.last_response(), where
        if c.advocacy_taken_up:
            assert c.advocacy_offered, where
        if c.child:
            assert c.role in ("child", "care_leaver") and c.advocacy_offered, where
        if c.ombudsman:
            assert c.ombudsman[1] >= c.received, where
        # A stage extended at Stage 1 takes more than 10 working days; one not extended, late or
        # within, is consistent with its flag.
        s1 = c.stage(1)
        if s1 and s1["extended"]:
            assert wd_between(s1["started"], s1["responded"]) > 10, where
        if c.procedure == "corporate" and c.stage(2):
            assert not c.stage(2)["extended"], where
        if c.procedure == "corporate":
            assert not c.stage(3), where
    # Late Stage 1 responses are clearly late: at least 24 working days.
    for c in all_cases:
        s1 = c.stage(1)
        if s1 and not c.within(1) and in_year(c.received, 2020):
            assert wd_between(s1["started"], s1["responded"]) >= 24, c.reference
    # Cases left open: at most two, both from 2020/21 and not mid-stage.
    open_cases = [c for c in all_cases if c.closed is None]
    assert all(in_year(c.received, 2020) for c in open_cases)
    assert len(open_cases) <= 2


def check_transitions(transitions_list, by_reference):
    actions = Counter()
    remedies = {}
    closed = {}
    for item in transitions_list:
        c = by_reference[item["reference"]]
        tr = item["transition"]
        kind = tr["transition"]
        if kind == "record_ombudsman_decision":
            decided = D(tr["decided_on"])
            assert decided >= c.received
            assert not c.ombudsman, "remedy indices assume the only ombudsman case"
            remedies[c.reference] = []
            for r in tr["remedies"]:
                assert D(r["due_on"]) >= decided
                assert r["kind"] in ("apology", "payment", "service_improvement")
                if r["kind"] == "payment":
                    assert r["amount_pence"] > 0
                remedies[c.reference].append(None)
        elif kind == "complete_remedy":
            rs = remedies[c.reference]
            assert rs[tr["remedy"]] is None
            rs[tr["remedy"]] = D(tr["on"])
        elif kind == "add_action":
            assert tr["kind"] in ("recommendation", "learning")
            assert D(tr["due_on"]) >= c.received
            actions[c.reference] += 1
        elif kind == "complete_action":
            assert tr["action"] < actions[c.reference]
            assert D(tr["on"]) >= c.received
        elif kind == "close":
            assert c.closed is None and c.reference not in closed
            assert D(tr["on"]) >= c.last_response()
            closed[c.reference] = D(tr["on"])
        else:
            raise AssertionError(kind)


def check_2020(f, c2020):
    assert f["received"] == 58 and f["statutory"] == 6 and f["corporate"] == 52, f
    assert f["resolved"] == 2 and f["rejected"] == 2
    assert dict(f["teams"]) == {AA: 5, SEN: 8, NESW: 4, FA: 2, DCT: 1, NEEH: 11, LAC: 11,
                                SS: 6, SB: 1, LOC: 7}, f["teams"]
    assert sum(f["teams"].values()) == 56
    assert f["reasons"][F] == 24 and sum(f["reasons"].values()) == 56
    assert all(n < 24 for r, n in f["reasons"].items() if r != F)
    assert 8 <= len(f["reasons"]) - 1 <= 10
    assert f["s1_started"] == 54 and f["s1_responded"] == 54
    assert f["s1_within"] == 40, f["s1_within"]
    assert f"{100 * f['s1_within'] / f['s1_responded']:.1f}" == "74.1"
    assert dict(f["s1_outcomes"]) == {"upheld": 9, "partially_upheld": 14, "not_upheld": 31}
    assert f["s2_started"] == 5 and f["s2_responded"] == 5 and f["s2_statutory"] == 1
    assert f["s3_started"] == 1 and f["s3_responded"] == 1 and f["s3_within"] == 1
    assert f["s2_teams"][SEN] == 0 and f["s3_teams"][SEN] == 0
    assert dict(f["ombudsman"]) == {"out_of_jurisdiction": 1, "fault_injustice": 2}
    assert 2 <= f["child_complained"] <= 3 and f["advocacy_taken_up"] == 1
    assert f["advocacy_offered"] == f["child_complained"]
    assert f["compliments"] == 59
    assert f["compliment_teams"].most_common(1)[0][0] == SEN
    assert f["compliment_teams"].most_common(2)[1][1] < f["compliment_teams"][SEN]
    # The statutory Stage 2 that went to Stage 3 was within timescale.
    assert c2020[4].within(2) and c2020[4].within(3) and c2020[4].stage(2)["extended"]
    # Late Stage 1 responses: most were letters received April to August 2020.
    late = [c for c in c2020.values() if c.stage(1) and not c.within(1)]
    lockdown_post = [c for c in late
                     if c.channel == "post" and c.received <= D("2020-08-31")]
    assert len(late) == 14 and len(lockdown_post) >= 9
    assert sum(c.stage(1)["extended"] for c in late) >= 2
    assert sum(c.stage(1)["extended"] for c in c2020.values()
               if c.stage(1) and c.within(1)) >= 5


def check_2019(f):
    assert f["received"] == 85
    assert f["resolved"] + f["rejected"] == 4
    assert f["s1_started"] == 81 and f["s1_responded"] == 81
    assert f["s1_within"] == 64
    assert f"{100 * f['s1_within'] / f['s1_responded']:.1f}" == "79.0"
    assert 45 <= f["compliments"] <= 55
    assert f["reasons"].most_common(1)[0][0] == F


def cross_check_with_binary(all_cases):
    """Each deadline as `redress workdays add` computes it, when the binary is there."""
    if not BINARY.exists():
        return "skipped (no target/release/redress)"
    wanted = set()
    for c in all_cases:
        for s in c.stages:
            n = s["number"]
            if n < 3:
                limit, cap = LIMITS[(c.procedure, n)]
                wanted.add((s["started"], cap if s["extended"] else limit))
            else:
                wanted.add((s["started"], PANEL_MEET_WITHIN))
                wanted.add((s["panel"], PANEL_RESPONSE_WITHIN))
    for start, days in sorted(wanted):
        try:
            answer = subprocess.run([str(BINARY), "workdays", "add", start.isoformat(), str(days)],
                                    capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError) as e:
            return f"skipped ({e})"
        mine = add_wd(start, days)
        assert answer == mine.isoformat(), f"workdays add {start} {days}: {answer} vs {mine}"
    return f"{len(wanted)} deadlines agree with redress workdays add"


def write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def summary_table(f19, f20):
    lines = []

    def row(label, a, b):
        lines.append(f"  {label:<48} {str(a):>14} {str(b):>14}")

    row("", "2019/20", "2020/21")
    row("Complaints received", f19["received"], f20["received"])
    row("  statutory / non-statutory", f"{f19['statutory']} / {f19['corporate']}",
        f"{f20['statutory']} / {f20['corporate']}")
    row("  resolved at initial contact", f19["resolved"], f20["resolved"])
    row("  rejected", f19["rejected"], f20["rejected"])
    row("  child or young person complained", f19["child_complained"], f20["child_complained"])
    row("  advocacy offered / taken up",
        f"{f19['advocacy_offered']} / {f19['advocacy_taken_up']}",
        f"{f20['advocacy_offered']} / {f20['advocacy_taken_up']}")
    for n in (1, 2, 3):
        row(f"Stage {n} started (statutory)", f"{f19[f's{n}_started']} ({f19[f's{n}_statutory']})",
            f"{f20[f's{n}_started']} ({f20[f's{n}_statutory']})")
        row(f"  responded", f19[f"s{n}_responded"], f20[f"s{n}_responded"])
        row(f"  within timescale",
            f"{f19[f's{n}_within']} {pct(f19[f's{n}_within'], f19[f's{n}_responded'])}",
            f"{f20[f's{n}_within']} {pct(f20[f's{n}_within'], f20[f's{n}_responded'])}")
        if n < 3:
            row(f"  extended", f19[f"s{n}_extended"], f20[f"s{n}_extended"])
        o19, o20 = f19[f"s{n}_outcomes"], f20[f"s{n}_outcomes"]
        row("  upheld / partially / not upheld",
            f"{o19['upheld']} / {o19['partially_upheld']} / {o19['not_upheld']}",
            f"{o20['upheld']} / {o20['partially_upheld']} / {o20['not_upheld']}")
    up19 = f19["s1_outcomes"]["upheld"] + f19["s1_outcomes"]["partially_upheld"]
    up20 = f20["s1_outcomes"]["upheld"] + f20["s1_outcomes"]["partially_upheld"]
    row("Stage 1 upheld or partially upheld", f"{up19} {pct(up19, f19['s1_responded'])}",
        f"{up20} {pct(up20, f20['s1_responded'])}")
    decisions = sorted(set(f19["ombudsman"]) | set(f20["ombudsman"]))
    row("LGSCO decisions", sum(f19["ombudsman"].values()), sum(f20["ombudsman"].values()))
    for d in decisions:
        row(f"  {d}", f19["ombudsman"][d], f20["ombudsman"][d])
    row("Compliments", f19["compliments"], f20["compliments"])
    row("Complaints not yet closed", f19["open"], f20["open"])
    lines.append("")
    lines.append("  Complaints by team (excluding rejected)")
    teams = sorted(set(f19["teams"]) | set(f20["teams"]), key=lambda t: (-f20["teams"][t], t))
    for t in teams:
        row(f"    {t}", f19["teams"][t], f20["teams"][t])
    row("    Total", sum(f19["teams"].values()), sum(f20["teams"].values()))
    lines.append("")
    lines.append("  Complaints by reason (excluding rejected)")
    reasons = sorted(set(f19["reasons"]) | set(f20["reasons"]),
                     key=lambda r: (-f20["reasons"][r], r))
    for r in reasons:
        row(f"    {r}", f19["reasons"][r], f20["reasons"][r])
    lines.append("")
    lines.append("  Complaints by channel")
    for ch in sorted(set(f19["channels"]) | set(f20["channels"]),
                     key=lambda x: (-f20["channels"][x], x)):
        row(f"    {ch}", f19["channels"][ch], f20["channels"][ch])
    lines.append("")
    lines.append("  Complaints by complainant role")
    for ro in sorted(set(f19["roles"]) | set(f20["roles"]), key=lambda x: (-f20["roles"][x], x)):
        row(f"    {ro}", f19["roles"][ro], f20["roles"][ro])
    lines.append("")
    lines.append("  Compliments by team")
    for t in sorted(set(f19["compliment_teams"]) | set(f20["compliment_teams"]),
                    key=lambda x: (-f20["compliment_teams"][x], x)):
        row(f"    {t}", f19["compliment_teams"][t], f20["compliment_teams"][t])
    return "\n".join(lines)


def main():
    c2020 = cases_2020()
    c2019 = cases_2019()
    all_cases = list(c2019.values()) + list(c2020.values())
    assign_references(all_cases)
    by_reference = {c.reference: c for c in all_cases}
    check_cases(all_cases, c2020)

    trans = transitions(c2020, c2019)
    check_transitions(trans, by_reference)

    comp19 = compliments(2019, COMPLIMENTS_2019, 1920)
    comp20 = compliments(2020, COMPLIMENTS_2020, 2021)

    f19 = figures(2019, all_cases, trans, comp19)
    f20 = figures(2020, all_cases, trans, comp20)
    check_2019(f19)
    check_2020(f20, c2020)
    binary_check = cross_check_with_binary(all_cases)

    # Write.
    (OUT / "narrative" / "2020").mkdir(parents=True, exist_ok=True)
    organisation = {"slug": "westminster", "name": "City of Westminster, Children's Services",
                    "reference_prefix": PREFIX, "division": "england-and-wales"}
    (OUT / "organisation.json").write_text(json.dumps(organisation, indent=2) + "\n",
                                           encoding="utf-8")
    for year, label in ((2019, "2019-20"), (2020, "2020-21")):
        rows = sorted((c for c in all_cases if in_year(c.received, year)),
                      key=lambda c: (c.received, c.reference))
        write_csv(OUT / f"cases-{label}.csv", CASE_COLUMNS, [c.row() for c in rows])
    write_csv(OUT / "compliments-2019-20.csv", COMPLIMENT_COLUMNS, comp19)
    write_csv(OUT / "compliments-2020-21.csv", COMPLIMENT_COLUMNS, comp20)
    (OUT / "transitions.json").write_text(
        json.dumps(trans, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, text in NARRATIVE.items():
        (OUT / "narrative" / "2020" / name).write_text(text, encoding="utf-8")

    print(f"wrote {OUT.relative_to(ROOT)}/: organisation.json, cases-2019-20.csv "
          f"({f19['received']}), cases-2020-21.csv ({f20['received']}), compliments-2019-20.csv "
          f"({f19['compliments']}), compliments-2020-21.csv ({f20['compliments']}), "
          f"transitions.json ({len(trans)}), narrative/2020/ ({len(NARRATIVE)} sections)")
    print(f"working days: {binary_check}")
    print()
    print(summary_table(f19, f20))


if __name__ == "__main__":
    main()
