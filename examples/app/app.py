#!/usr/bin/python3
"""The example review app: the shape of a Rails app (web, worker, migrate, seed) in one file.

Debian's python3 with python3-psycopg2 and python3-redis; nothing from PyPI.

  app.py web       serve HTTP on $PORT (the page, /api, /health, POST /jobs)
  app.py worker    take jobs from the Redis queue (resque-like) and write results to the database
  app.py migrate   create or alter the tables, idempotently; records every run
  app.py seed      insert the seed rows; records every run

Configuration comes from the environment the controller sets: DATABASE_URL, REDIS_URL, PORT,
REVIEW_APP_NAME, REVIEW_APP_BRANCH, REVIEW_APP_COMMIT (HOST, default 127.0.0.1, is where web binds).
"""

import html
import json
import os
import signal
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import redis

QUEUE = "resque:queue:default"

# Ordered, append-only: a migration never changes once released, so reruns are no-ops.
MIGRATIONS = [
    (1, "CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, name text NOT NULL UNIQUE)"),
    (2, "CREATE TABLE IF NOT EXISTS job_results (job_id text PRIMARY KEY, output text NOT NULL,"
        " done_at timestamptz NOT NULL DEFAULT now())"),
    (3, "ALTER TABLE items ADD COLUMN IF NOT EXISTS price_cents integer NOT NULL DEFAULT 0"),
]

SEED_ITEMS = [("Espresso", 250), ("Flat white", 380), ("Croissant", 290)]


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        sys.exit(f"{name} is not set")
    return value


def db():
    return psycopg2.connect(env("DATABASE_URL"), connect_timeout=5)


def cache():
    return redis.Redis.from_url(env("REDIS_URL"), socket_timeout=5, socket_connect_timeout=5)


def record_run(cur, kind):
    # Every run is recorded, so a test can tell that a new commit migrated again and did not seed.
    cur.execute("CREATE TABLE IF NOT EXISTS release_runs (id serial PRIMARY KEY, kind text NOT NULL,"
                " commit text NOT NULL, ran_at timestamptz NOT NULL DEFAULT now())")
    cur.execute("INSERT INTO release_runs (kind, commit) VALUES (%s, %s)",
                (kind, os.environ.get("REVIEW_APP_COMMIT", "unknown")))


def migrate():
    with db() as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)")
        cur.execute("SELECT version FROM schema_migrations")
        done = {row[0] for row in cur.fetchall()}
        for version, sql in MIGRATIONS:
            if version not in done:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
                print(f"migrated {version}", flush=True)
        record_run(cur, "migrate")
    print("migrations up to date", flush=True)


def seed():
    with db() as conn, conn.cursor() as cur:
        for name, price in SEED_ITEMS:
            cur.execute("INSERT INTO items (name, price_cents) VALUES (%s, %s)"
                        " ON CONFLICT (name) DO NOTHING", (name, price))
        record_run(cur, "seed")
    print(f"seeded {len(SEED_ITEMS)} items", flush=True)


def state():
    with db() as conn, conn.cursor() as cur:
        cur.execute("SELECT name, price_cents FROM items ORDER BY id")
        items = [{"name": n, "priceCents": p} for n, p in cur.fetchall()]
        cur.execute("SELECT job_id, output FROM job_results ORDER BY done_at")
        results = [{"id": j, "output": o} for j, o in cur.fetchall()]
        cur.execute("SELECT kind, count(*) FROM release_runs GROUP BY kind")
        runs = dict(cur.fetchall())
    counter = cache().incr("hits")
    return {
        "app": os.environ.get("REVIEW_APP_NAME", ""),
        "branch": os.environ.get("REVIEW_APP_BRANCH", ""),
        "commit": os.environ.get("REVIEW_APP_COMMIT", ""),
        "items": items,
        "counter": counter,
        "results": results,
        "migrateRuns": runs.get("migrate", 0),
        "seedRuns": runs.get("seed", 0),
    }


class Web(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send(self, status, body, content_type):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        try:
            if self.path == "/health":
                with db() as conn, conn.cursor() as cur:
                    cur.execute("SELECT 1")
                cache().ping()
                return self.send(200, "ok\n", "text/plain")
            if self.path == "/api":
                return self.send(200, json.dumps(state()), "application/json")
            if self.path == "/":
                s = state()
                rows = "".join(f"<li>{html.escape(i['name'])} ({i['priceCents']} cents)</li>"
                               for i in s["items"])
                page = (f"<!doctype html><title>{html.escape(s['branch'])}</title>"
                        f"<h1>Review app {html.escape(s['app'])}</h1>"
                        f"<p>branch <b>{html.escape(s['branch'])}</b>, commit "
                        f"<code>{html.escape(s['commit'])}</code></p>"
                        f"<p>visits (Redis counter): {s['counter']}</p><ul>{rows}</ul>"
                        f"<p>jobs done by the worker: {len(s['results'])}</p>\n")
                return self.send(200, page, "text/html; charset=utf-8")
            return self.send(404, "not found\n", "text/plain")
        except (psycopg2.Error, redis.RedisError) as e:
            return self.send(503, f"backing service unavailable: {type(e).__name__}\n", "text/plain")

    def do_POST(self):
        if self.path != "/jobs":
            return self.send(404, "not found\n", "text/plain")
        length = int(self.headers.get("Content-Length", "0"))
        text = self.rfile.read(length).decode() or "hello"
        job = {"class": "Upcase", "args": [text], "id": str(uuid.uuid4())}
        cache().rpush(QUEUE, json.dumps(job))
        return self.send(202, json.dumps({"id": job["id"]}), "application/json")

    def log_message(self, fmt, *args):
        sys.stderr.write("web: " + (fmt % args) + "\n")


def web():
    server = ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), int(env("PORT"))), Web)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"web listening on {server.server_address}", flush=True)
    server.serve_forever()


def worker():
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    queue = cache()
    print("worker waiting for jobs", flush=True)
    while running[0]:
        try:
            popped = queue.blpop([QUEUE], timeout=1)
        except redis.RedisError as e:
            print(f"worker: redis unavailable ({type(e).__name__}), retrying", flush=True)
            time.sleep(1)
            continue
        if popped is None:
            continue
        job = json.loads(popped[1])
        output = " ".join(str(a) for a in job["args"]).upper()
        with db() as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO job_results (job_id, output) VALUES (%s, %s)"
                        " ON CONFLICT (job_id) DO NOTHING", (job["id"], output))
        print(f"worker: done {job['id']}", flush=True)


COMMANDS = {"web": web, "worker": worker, "migrate": migrate, "seed": seed}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: app.py web|worker|migrate|seed")
    COMMANDS[sys.argv[1]]()
