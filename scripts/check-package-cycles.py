#!/usr/bin/env python3
"""Fails when the Java packages of a module import each other in a cycle (run by `make test`).

Reads the import lines of every src/main/java tree in the repository: package A depends on B
when a class of A imports a class of B. A cycle means the packages cannot be understood, tested
or moved one at a time; it is printed as A -> B -> ... -> A.
"""
import collections
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMPORT = re.compile(r"import (dev\.reviewapps\.[\w.]+)\.[A-Z]\w*;")


def cycles(tree):
    deps = collections.defaultdict(set)
    for source in tree.rglob("*.java"):
        package = ".".join(source.parent.relative_to(tree).parts)
        for line in source.read_text(encoding="utf-8").splitlines():
            match = IMPORT.match(line)
            if match and match.group(1) != package:
                deps[package].add(match.group(1))
    found = set()

    def walk(start, node, path):
        for dep in deps.get(node, ()):
            if dep == start:
                i = path.index(min(path))
                found.add(tuple(path[i:] + path[:i]))
            elif dep not in path:
                walk(start, dep, path + [dep])

    for package in sorted(deps):
        walk(package, package, [package])
    return found


problems = []
for tree in sorted(ROOT.glob("**/src/main/java")):
    if "target" in tree.parts:
        continue
    for cycle in sorted(cycles(tree)):
        problems.append(f"{tree.relative_to(ROOT)}: {' -> '.join(cycle + (cycle[0],))}")
if problems:
    print("package cycles:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print("package cycles: none")
