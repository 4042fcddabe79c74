#!/usr/bin/python3
"""A loopback stand-in for the few GitHub REST endpoints review-apps uses, for the e2e test:
deployments and their statuses, open pull requests by head branch (the pulls come from the
command line), issue comments. Answers as GitHub's REST documentation says; GET /_state returns
everything it holds, for the test to check. Usage: fake_github.py PORT REPO BRANCH=PR_NUMBER...
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PORT, REPO = int(sys.argv[1]), sys.argv[2]
PULLS = {b: int(n) for b, n in (a.split("=", 1) for a in sys.argv[3:])}
lock = threading.Lock()
state = {"deployments": [], "statuses": [], "comments": {}, "calls": 0, "unauthorized": 0}
ids = [100]


def next_id():
    ids[0] += 1
    return ids[0]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        if url.path == "/_state":
            with lock:
                return self.answer(200, state)
        with lock:
            state["calls"] += 1
            if not (self.headers.get("Authorization") or "").startswith("Bearer "):
                state["unauthorized"] += 1
                return self.answer(401, {"message": "Requires authentication"})
            prefix = "/repos/" + REPO
            if not url.path.startswith(prefix + "/"):
                return self.answer(404, {"message": "Not Found"})
            rest = url.path[len(prefix):]
            parts = rest.strip("/").split("/")
            if method == "POST" and rest == "/deployments":
                d = {"id": next_id(), "sha": body["ref"], "environment": body["environment"],
                     "transient_environment": body.get("transient_environment")}
                state["deployments"].append(d)
                return self.answer(201, d)
            if method == "GET" and rest == "/deployments":
                found = [d for d in reversed(state["deployments"])
                         if d["environment"] == query.get("environment")
                         and ("sha" not in query or d["sha"] == query["sha"])]
                return self.answer(200, found)
            if method == "POST" and len(parts) == 3 and parts[0] == "deployments" and parts[2] == "statuses":
                s = {"deployment": int(parts[1]), "state": body["state"],
                     "environment_url": body.get("environment_url"), "description": body.get("description")}
                state["statuses"].append(s)
                return self.answer(201, {"id": next_id()})
            if method == "GET" and rest == "/pulls":
                branch = query.get("head", "").split(":", 1)[-1]
                return self.answer(200, [{"number": PULLS[branch]}] if branch in PULLS else [])
            if method == "GET" and len(parts) == 3 and parts[0] == "issues" and parts[2] == "comments":
                return self.answer(200, [{"id": int(i), "body": c["body"]} for i, c in state["comments"].items()
                                         if c["issue"] == int(parts[1])])
            if method == "POST" and len(parts) == 3 and parts[0] == "issues" and parts[2] == "comments":
                i = next_id()
                state["comments"][str(i)] = {"issue": int(parts[1]), "body": body["body"], "edits": 0}
                return self.answer(201, {"id": i})
            if method == "PATCH" and len(parts) == 3 and parts[:2] == ["issues", "comments"]:
                c = state["comments"].get(parts[2])
                if c is None:
                    return self.answer(404, {"message": "Not Found"})
                c["body"], c["edits"] = body["body"], c["edits"] + 1
                return self.answer(200, {"id": int(parts[2])})
            return self.answer(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
