#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-reports.py OUTDIR EXPECTDIR KERNEL NAME...: the grader's test.

For each submission NAME graded by memlab-grade --class into OUTDIR: every
report parses with a real parser (json, xml.etree, and Debian's
python3-junitparser when it is installed) and agrees with the JSON one; each rule's verdict is the one EXPECTDIR/NAME names (every rule not
named there must PASS; a line "RULE VERDICT KERNEL..." applies on those
kernels only); scores.csv lists it. Prints TAP; exits 1 on any failure.
"""
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

try:
    import junitparser      # Debian's python3-junitparser
except ImportError:
    junitparser = None

out, expdir, kernel, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
n = 0
failed = 0


def ok(cond, what, diag=""):
    global n, failed
    n += 1
    print(f"{'ok' if cond else 'not ok'} {n} {kernel}: {what}")
    if not cond:
        failed += 1
        for l in str(diag).splitlines()[:30]:
            print(f"# {l}")


def expected(name):
    want = {}
    with open(os.path.join(expdir, name)) as f:
        for line in f:
            w = line.split("#")[0].split()
            if len(w) >= 2 and (len(w) == 2 or kernel in w[2:]):
                want[w[0]] = w[1]
    return want


try:
    with open(os.path.join(out, "scores.csv")) as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
except OSError:
    rows = {}

for name in names:
    path = os.path.join(out, name)
    try:
        with open(path + ".json") as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        ok(False, f"{name}: JSON report", e)
        continue
    keys = {"score", "max_score", "kernel", "rules"}
    ok(keys <= rep.keys() and all({"id", "title", "points", "max_points", "verdict", "reason",
                                   "log"} <= r.keys() for r in rep["rules"]),
       f"{name}: JSON report has the schema's fields")
    got = {r["id"]: r["verdict"] for r in rep["rules"]}
    want = expected(name)
    diff = [f"{rid}: expected {want.get(rid, 'PASS')}, got {v} ({r['reason'].splitlines()[0] if r['reason'] else ''})"
            for r in rep["rules"] for rid, v in [(r["id"], r["verdict"])] if want.get(rid, "PASS") != v]
    diff += [f"{rid}: expected {v}, no such rule" for rid, v in want.items() if rid not in got]
    ok(not diff, f"{name}: every rule's verdict as expected "
       f"({rep['score']}/{rep['max_score']})", "\n".join(diff))
    ok(rep["score"] == sum(r["points"] for r in rep["rules"])
       and all(r["points"] in (0, r["max_points"]) for r in rep["rules"])
       and all((r["points"] > 0) == (r["verdict"] == "PASS") or r["max_points"] == 0
               for r in rep["rules"]),
       f"{name}: the score is the sum of the passed rules' points")
    crashed = [r for r in rep["rules"] if r["verdict"] == "CRASH"]
    ok(all("crashed in" in r["reason"] and re.search(r"\[(mtest|maptest)\]:\n.*\.c:\d+", r["reason"])
           for r in crashed),
       f"{name}: a crash names the student's function and source line",
       "\n".join(r["reason"] for r in crashed))

    try:
        with open(path + ".results.json") as f:
            gs = json.load(f)
        tests = gs["tests"]
        good = (gs["score"] == rep["score"] and len(tests) == len(rep["rules"])
                and all({"name", "score", "max_score", "status", "output", "visibility"} <= t.keys()
                        for t in tests)
                and all(t["status"] == ("passed" if r["verdict"] == "PASS" else "failed")
                        and t["score"] == r["points"] for t, r in zip(tests, rep["rules"])))
        ok(good, f"{name}: Gradescope results.json agrees")
    except (OSError, ValueError, KeyError) as e:
        ok(False, f"{name}: Gradescope results.json", e)

    try:
        root = ET.parse(path + ".xml").getroot()
        cases = {c.get("name"): c for c in root.iter("testcase")}
        kind = {"FAIL": "failure", "BUILD-FAIL": "failure", "CRASH": "error",
                "TIMEOUT": "error", "NOT-RUN": "skipped"}
        bad = []
        for r in rep["rules"]:
            c = cases.get(r["id"])
            tags = {e.tag for e in c} - {"system-out"} if c is not None else None
            if tags != ({kind[r["verdict"]]} if r["verdict"] in kind else set()):
                bad.append(f"{r['id']} {r['verdict']}: {tags}")
        for s in root.iter("testsuite"):
            cs = list(s.iter("testcase"))
            if int(s.get("tests")) != len(cs) or \
               int(s.get("errors")) != sum(c.find("error") is not None for c in cs) or \
               int(s.get("skipped")) != sum(c.find("skipped") is not None for c in cs) or \
               int(s.get("failures")) != sum(c.find("failure") is not None for c in cs):
                bad.append(f"suite {s.get('name')}: counts disagree")
        ok(not bad and root.tag == "testsuites", f"{name}: JUnit XML agrees", "\n".join(bad))
    except (OSError, ET.ParseError) as e:
        ok(False, f"{name}: JUnit XML", e)

    if junitparser:
        try:
            kinds = {}
            for suite in junitparser.JUnitXml.fromfile(path + ".xml"):
                for case in suite:
                    kinds[case.name] = [type(r).__name__ for r in case.result]
            want = {"FAIL": ["Failure"], "BUILD-FAIL": ["Failure"], "CRASH": ["Error"],
                    "TIMEOUT": ["Error"], "NOT-RUN": ["Skipped"], "PASS": []}
            bad = [f"{r['id']}: {kinds.get(r['id'])}" for r in rep["rules"]
                   if kinds.get(r["id"]) != want[r["verdict"]]]
            ok(not bad, f"{name}: junitparser reads each verdict as its JUnit result", "\n".join(bad))
        except Exception as e:    # any parser error is a failed check
            ok(False, f"{name}: junitparser", e)

    with open(path + ".ktap") as f:
        ktap = f.read().splitlines()
    top = [l for l in ktap if l.startswith(("ok ", "not ok "))]
    sub = [l for l in ktap if l.startswith(("  ok ", "  not ok "))]
    ok(ktap[0] == "KTAP version 1" and len(sub) == len(rep["rules"]) and
       len(top) == int(ktap[2].split("..")[1]),
       f"{name}: KTAP report is well formed")
    row = rows.get(name)
    ok(row is not None and float(row["score"]) == float(rep["score"]),
       f"{name}: scores.csv has its score")

print(f"1..{n}")
print(f"# grader {kernel}: {n - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
