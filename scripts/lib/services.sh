# Shell helpers shared by the demo, the end-to-end test and the example app's smoke test:
# throwaway PostgreSQL and Redis servers on loopback, free ports, bounded waits.
# Source it; every server started is recorded so that stop_services ends them by PID.

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
STARTED_PIDS=()
PG_DATA_DIRS=()

# A free TCP port on 127.0.0.1 (the kernel picks it; a race with another process is possible
# but the servers below fail loudly if the port was taken meanwhile).
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# start_postgres DIR PORT: initdb and start a cluster owned by the postgres user (PostgreSQL
# refuses to run as root). Superuser "postgres", password "postgres", trust on loopback only.
start_postgres() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  local run=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || run=()
  "${run[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null
  PG_DATA_DIRS+=("$dir/data")
}

stop_postgres_all() {
  local run=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || run=()
  for d in "${PG_DATA_DIRS[@]}"; do
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true
  done
  PG_DATA_DIRS=()
}

# start_redis DIR PORT: a redis-server on loopback without persistence.
start_redis() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no &
  STARTED_PIDS+=($!)
  wait_until 10 "redis on $port" redis-cli -p "$port" ping
}

# Remembers a background process so stop_services ends it.
track() { STARTED_PIDS+=("$1"); }

stop_services() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
  stop_postgres_all
}
