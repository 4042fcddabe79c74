#!/usr/bin/python3
"""Metric names queried by the Grafana dashboard and the alert rules, against the names a
controller really exports. Used by deploy/test-dashboard.sh; standard library only (no PyYAML on
a fresh Debian machine).

  promql_names.py exprs DASHBOARD RULES      one line per expression: source<TAB>expr
  promql_names.py check EXPRS METRICS         names in EXPRS missing from the scrape METRICS
  promql_names.py recording EXPRS             the expressions as a rules file for promtool
  promql_names.py lint DASHBOARD              Grafana's shape: ids, data source, grid
  promql_names.py evaluate EXPRS METRICS PROMETHEUS_URL JOB
                                              each dashboard expression answers something
"""
import json
import re
import sys
import urllib.parse
import urllib.request

KEYWORDS = {"and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "inf", "nan", "atan2"}
# Grafana's variables, replaced by something PromQL accepts for the syntax check.
GRAFANA_VARS = [("$__rate_interval", "5m"), ("$__interval", "1m"), ("$__range", "1h"),
                ("${job}", ".+"), ("$job", ".+")]


def dashboard_exprs(path):
    dash = json.load(open(path))
    out = []

    def walk(panels):
        for p in panels:
            for t in p.get("targets", []):
                if t.get("expr"):
                    out.append((f'dashboard panel "{p.get("title")}" {t.get("refId")}', t["expr"]))
            walk(p.get("panels", []))

    walk(dash.get("panels", []))
    # Template variables: label_values(metric, label) names a metric too.
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        if v.get("type") == "query" and isinstance(q, str):
            m = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*\w+\s*\)\s*", q)
            if m:
                out.append((f"dashboard variable ${v['name']}", m.group(1)))
            elif not re.fullmatch(r"\s*label_values\(\s*\w+\s*\)\s*", q):
                out.append((f"dashboard variable ${v['name']}", q))
    return out


def rule_exprs(path):
    """expr of every rule: `expr: <line>` or a block scalar (`expr: |`) indented below it."""
    lines = open(path).read().splitlines()
    out, name, i = [], "?", 0
    while i < len(lines):
        m = re.match(r"^\s*-?\s*(alert|record):\s*(\S+)", lines[i])
        if m:
            name = m.group(2)
        m = re.match(r"^(\s*)expr:\s*(.*)$", lines[i])
        if m:
            indent, value = len(m.group(1)), m.group(2).strip()
            if value in ("|", ">", "|-", ">-"):
                body = []
                while i + 1 < len(lines) and (not lines[i + 1].strip() or
                                              len(lines[i + 1]) - len(lines[i + 1].lstrip()) > indent):
                    i += 1
                    body.append(lines[i].strip())
                value = " ".join(body)
            elif value[:1] in "'\"":
                value = value[1:-1]
            out.append((f"alert rule {name}", value))
        i += 1
    return out


def names_in(expr):
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"'(?:[^'\\]|\\.)*'", "''", e)
    e = re.sub(r"`[^`]*`", "``", e)
    e = re.sub(r"\{[^}]*\}", " ", e)  # label matchers
    e = re.sub(r"\[[^\]]*\]", " ", e)  # ranges and subqueries
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\boffset\s+-?\w+", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w:$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", e):
        if m.group(2) or m.group(1).lower() in KEYWORDS:
            continue  # a function or aggregation, or a keyword
        names.add(m.group(1))
    return names


def exported(path):
    """Sample names of a Prometheus text scrape (not the # TYPE family names: a histogram's
    family name is no series, only its _bucket, _count and _sum are)."""
    names = set()
    for line in open(path):
        if line.strip() and not line.startswith("#"):
            names.add(re.split(r"[{\s]", line, maxsplit=1)[0])
    return names


def main():
    cmd = sys.argv[1]
    if cmd == "exprs":
        for src, e in dashboard_exprs(sys.argv[2]) + rule_exprs(sys.argv[3]):
            print(f"{src}\t{' '.join(e.split())}")
    elif cmd == "recording":
        print("groups:\n  - name: dashboard-expressions\n    rules:")
        for n, line in enumerate(open(sys.argv[2])):
            src, e = line.rstrip("\n").split("\t", 1)
            for var, val in GRAFANA_VARS:
                e = e.replace(var, val)
            print(f"      - record: dashboard_expression_{n}\n        expr: {json.dumps(e)}")
    elif cmd == "lint":
        dash = json.load(open(sys.argv[2]))
        problems = []
        if not 36 <= dash.get("schemaVersion", 0) <= 41:
            problems.append(f"schemaVersion {dash.get('schemaVersion')}, expected about 39")
        if not any(v.get("name") == "datasource" and v.get("type") == "datasource" and v.get("query") == "prometheus"
                   for v in dash.get("templating", {}).get("list", [])):
            problems.append("no ${datasource} variable of type prometheus")
        ids, cells = set(), {}
        for p in dash["panels"]:
            if p["id"] in ids:
                problems.append(f"panel id {p['id']} twice")
            ids.add(p["id"])
            g = p["gridPos"]
            if g["x"] < 0 or g["x"] + g["w"] > 24:
                problems.append(f'panel "{p["title"]}" outside the 24 columns')
            for x in range(g["x"], g["x"] + g["w"]):
                for y in range(g["y"], g["y"] + g["h"]):
                    if (x, y) in cells:
                        problems.append(f'panels "{cells[(x, y)]}" and "{p["title"]}" overlap')
                        break
                    cells[(x, y)] = p["title"]
                else:
                    continue
                break
            if p["type"] != "row":
                sources = [p.get("datasource")] + [t.get("datasource") for t in p.get("targets", [])]
                if any(d != {"type": "prometheus", "uid": "${datasource}"} for d in sources):
                    problems.append(f'panel "{p["title"]}" does not use the ${{datasource}} variable')
                if not p.get("targets"):
                    problems.append(f'panel "{p["title"]}" has no query')
        for pr in problems:
            print("  " + pr)
        print(f"dashboard: {len(dash['panels'])} panels; " + ("shape ok" if not problems else f"{len(problems)} problems"))
        sys.exit(1 if problems else 0)
    elif cmd == "evaluate":
        # An instant query per dashboard expression against a Prometheus that scrapes the
        # controller: an empty answer is a panel that would say "No data" (a label that does
        # not exist, a join that matches nothing). Expressions using a metric the controller
        # does not export are left to `check`, which names them.
        have = exported(sys.argv[3])
        url, job = sys.argv[4], sys.argv[5]
        empty, total = [], 0
        for line in open(sys.argv[2]):
            src, e = line.rstrip("\n").split("\t", 1)
            if not src.startswith("dashboard panel") or not names_in(e) <= have:
                continue
            q = e.replace("$__rate_interval", "30s").replace("${job}", job).replace("$job", job)
            with urllib.request.urlopen(url + "/api/v1/query?" + urllib.parse.urlencode({"query": q}), timeout=10) as r:
                data = json.load(r)["data"]
            total += 1
            if data["resultType"] in ("vector", "matrix") and not data["result"]:
                empty.append((src, q))
        print(f"{total} dashboard expressions evaluated by Prometheus, {total - len(empty)} answered")
        for src, q in empty:
            print(f"  EMPTY {src}: {q}")
        sys.exit(1 if empty else 0)
    elif cmd == "check":
        have = exported(sys.argv[3])
        used = {}
        for line in open(sys.argv[2]):
            src, e = line.rstrip("\n").split("\t", 1)
            for name in names_in(e):
                used.setdefault(name, []).append(src)
        missing = sorted(n for n in used if n not in have)
        print(f"{len(used)} metric names queried, {len(used) - len(missing)} exported by the controller")
        for n in missing:
            hint = [h for h in (n + "_bucket", n + "_total", n + "_count", re.sub(r"_(total|bucket|count|sum)$", "", n))
                    if h != n and h in have]
            print(f"  MISSING {n}" + (f" (exported: {', '.join(hint)})" if hint else ""))
            for src in sorted(set(used[n])):
                print(f"      used by {src}")
        sys.exit(1 if missing else 0)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
