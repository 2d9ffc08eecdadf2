#!/usr/bin/env python3
"""run_cases.py - schema-change cases for `retort diff`, judged by the
database itself.

Each *.sql file under CASES_DIR holds cases:

    -- case: a name
    -- options: --with-privileges        (optional: extra `retort diff` arguments)
    -- upgrade-only: why                 (optional: the way back is not judged)
    -- from:
    ...SQL...
    -- to:
    ...SQL...

For each case: load `from` into two fresh databases (cur, keep) and `to`
into a third (des); apply `retort diff cur des` to cur in ONE transaction
(as an upgrade runs), and `pg_dump --schema-only` of cur must equal that of
des, normalized for statement and column order; then apply `retort diff cur
keep` the same way, and cur must dump like keep.  retort's own re-diff is
not the judge; it is only checked to be empty afterwards.

Usage: run_cases.py RETORT CASES_DIR MAINTENANCE_URL [-k SUBSTRING] [-v]
Exit status 0 when every case passes, 1 otherwise.
"""
import glob
import os
import re
import subprocess
import sys


def run(argv, stdin=None):
    p = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def parse_cases(path):
    cases, cur, part = [], None, None
    with open(path) as f:
        for line in f:
            m = re.match(r"-- (case|options|upgrade-only|from|to):\s*(.*)$", line.rstrip("\n"))
            if m and m.group(1) == "case":
                cur = {"name": m.group(2), "options": [], "from": "", "to": "", "file": os.path.basename(path),
                       "oneway": False}
                cases.append(cur)
                part = None
            elif m and m.group(1) == "upgrade-only" and cur is not None:
                cur["oneway"] = True
            elif m and m.group(1) == "options" and cur is not None:
                cur["options"] = m.group(2).split()
            elif m and m.group(1) in ("from", "to") and cur is not None:
                part = m.group(1)
            elif cur is not None and part:
                cur[part] += line
    return cases


def sort_table_items(stmt):
    """CREATE TABLE x (a, b) with its items sorted: column order is not compared."""
    m = re.match(r"(CREATE (?:UNLOGGED )?TABLE [^(]*\()(.*)(\)[^)]*)$", stmt, re.S)
    if not m:
        return stmt
    items, depth, quote, item = [], 0, None, ""
    for ch in m.group(2):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(item.strip())
            item = ""
            continue
        item += ch
    items.append(item.strip())
    return m.group(1) + ", ".join(sorted(items)) + m.group(3)


def normalize(dump):
    """pg_dump's entries (each follows a '-- Name:' header), whitespace squeezed, sorted."""
    entries, cur = [], []
    for line in dump.split("\n"):
        if line.startswith("-- Name:") or line.startswith("-- Data for Name:"):
            entries.append(cur)
            cur = []
        elif not (line.startswith("--") or line.startswith("SET ") or line.startswith("\\")
                  or line.startswith("SELECT pg_catalog.set_config")):
            cur.append(line)
    entries.append(cur)
    out = []
    for e in entries:
        text = re.sub(r"\s+", " ", " ".join(e)).strip()
        if text:
            out.append(sort_table_items(text))
    return sorted(out)


class Runner:
    def __init__(self, retort, maint):
        self.retort, self.maint = retort, maint

    def url(self, db):
        return self.maint.replace("postgresql:///postgres", "postgresql:///" + db, 1)

    def fresh(self, db):
        for sql in ('DROP DATABASE IF EXISTS "%s"' % db, 'CREATE DATABASE "%s"' % db):
            rc, _, err = run(["psql", "-X", "-q", "-d", self.maint, "-c", sql])
            if rc:
                raise RuntimeError(err.strip())
        return self.url(db)

    def psql(self, url, sql):
        """In one transaction, stopping at the first error."""
        return run(["psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", url], sql)

    def dump(self, url, privileges):
        argv = ["pg_dump", "--schema-only", "--no-owner", "-d", url]
        if not privileges:
            argv.insert(2, "--no-privileges")
        rc, out, err = run(argv)
        if rc:
            raise RuntimeError("pg_dump: " + err.strip())
        return normalize(out)

    def case(self, c):
        privileges = "--with-privileges" in c["options"]
        cur, keep, des = self.fresh("case_cur"), self.fresh("case_keep"), self.fresh("case_des")
        for url, sql in ((cur, c["from"]), (keep, c["from"]), (des, c["to"])):
            rc, _, err = self.psql(url, sql)
            if rc:
                return "loading the case failed: " + err.strip()
        for stage, target in (("upgrade", des), ("downgrade", keep))[:1 if c["oneway"] else 2]:
            rc, sql, err = run([self.retort, "diff"] + c["options"] + [cur, target])
            if rc not in (0, 1):
                return "%s: retort diff failed: %s" % (stage, err.strip())
            rc, _, err = self.psql(cur, sql)
            if rc:
                return "%s: the script failed: %s\n%s" % (stage, err.strip(), sql)
            got, want = self.dump(cur, privileges), self.dump(target, privileges)
            if got != want:
                only_got = [x for x in got if x not in want]
                only_want = [x for x in want if x not in got]
                return "%s: pg_dump differs\n  migrated only: %s\n  target only: %s\n-- script:\n%s" % (
                    stage, only_got, only_want, sql)
            rc, again, _ = run([self.retort, "diff"] + c["options"] + [cur, target])
            if rc != 0:
                return "%s: converged, but retort diff still differs:\n%s" % (stage, again)
        return None


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    only = None
    if "-k" in args:
        i = args.index("-k")
        only = args[i + 1]
        del args[i:i + 2]
    args = [a for a in args if a != "-v"]
    if len(args) != 3:
        print(__doc__)
        return 2
    retort, cases_dir, maint = args
    runner = Runner(os.path.abspath(retort), maint)
    failed = passed = 0
    for path in sorted(glob.glob(os.path.join(cases_dir, "*.sql"))):
        for c in parse_cases(path):
            if only and only not in c["name"] and only not in c["file"]:
                continue
            why = runner.case(c)
            if why:
                failed += 1
                print("FAIL %s: %s: %s" % (c["file"], c["name"], why if verbose else why.splitlines()[0]))
            else:
                passed += 1
                print("ok %s: %s" % (c["file"], c["name"]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
