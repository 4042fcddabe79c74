#!/usr/bin/env bash
# make bench-router: wrk against (A) a static proxy_pass, (B) the original design (LuaSocket
# lookup per request), (C) this router and (D) nginx's own ceiling: the same hosts as static
# upstream blocks with keepalive and no Lua. BENCH_HOSTS hosts, A B C D in turn for 3 rounds (each
# round starting one router later), medians. Prints figures; it is not a pass/fail test. Loopback
# only; stops everything it starts. ROUTER_CPU_AFFINITY (default auto) applies to every router.
#   BENCH_SECONDS (default 5) per measurement, BENCH_CONNECTIONS (64), BENCH_ROUNDS (3),
#   BENCH_WORKERS (1) nginx workers per router, BENCH_HOSTS (200), BENCH_VARIANTS (A B C D),
#   BENCH_CONSUL_CMD to use another Consul (it gets the port as its last argument),
#   BENCH_BASELINE=<another checkout, e.g. a git worktree of main> adds E: this router as that
#   checkout has it (its Lua and its nginx.conf.template), for before/after figures side by side.
#   F in BENCH_VARIANTS adds the floor: C's nginx.conf.template with bench/floor/router.lua in
#   place of the router, both Lua phases empty but for one fixed peer (what Lua alone costs).
#   G in BENCH_VARIANTS adds a second, identical copy of D in its own nginx: an A/A test, whose
#   per-round G/D shows how far two equal routers' figures stray from each other on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
router=$(dirname "$here")
repo=$(dirname "$router")
seconds=${BENCH_SECONDS:-5}
conns=${BENCH_CONNECTIONS:-64}
rounds=${BENCH_ROUNDS:-3}
workers=${BENCH_WORKERS:-1}
hosts=${BENCH_HOSTS:-200}
variants=${BENCH_VARIANTS:-A B C D}
baseline=${BENCH_BASELINE:-}
if [ -n "$baseline" ]; then
  [ -d "$baseline/lua-router/lua" ] || { echo "bench: BENCH_BASELINE has no lua-router/lua: $baseline" >&2; exit 1; }
  case " $variants " in *" E "*) ;; *) variants="$variants E" ;; esac
fi
# A letter the loop below does not know would be measured as whichever router came before it.
for v in $variants; do
  case $v in
    A | B | C | D | F | G) ;;
    E) [ -n "$baseline" ] || { echo "bench: E needs BENCH_BASELINE" >&2; exit 1; } ;;
    *) echo "bench: BENCH_VARIANTS: no router $v (A to G)" >&2; exit 1 ;;
  esac
done
export BENCH_HOSTS=$hosts
consul_cmd=${BENCH_CONSUL_CMD:-java -jar $repo/devstack/target/devstack.jar consul --port}

for tool in nginx wrk curl ss; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done

if [ -z "${BENCH_CONSUL_CMD:-}" ] && [ ! -f "$repo/devstack/target/devstack.jar" ]; then
  echo "bench: building devstack.jar for the Consul stand-in" >&2
  (cd "$repo" && mvn -B -q -ntp -pl devstack/launcher -am package -DskipTests)
fi

work=$(mktemp -d /tmp/router-bench.XXXXXX)
consul_pid=""
stop_all() {
  for pidfile in "$work"/*/logs/nginx.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  [ -n "$consul_pid" ] && kill "$consul_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop_all EXIT

used=" "
free_port() {
  local p
  while :; do
    # Below the kernel's ephemeral range (32768+), where wrk's and nginx's own outgoing
    # connections take their ports; and free of any socket, not only listening ones.
    p=$((20000 + RANDOM % 12000))
    case "$used" in *" $p "*) continue ;; esac
    if [ -z "$(ss -Htan "sport = :$p")" ]; then
      used="$used$p "
      echo "$p"
      return
    fi
  done
}

# Polls until the command succeeds, for at most $1 tenths of a second.
await() {
  local tries=$1
  shift
  for _ in $(seq "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "bench: timed out waiting for: $*" >&2
  return 1
}

start_nginx() { # name template, with the environment set by the caller
  local dir="$work/$1"
  mkdir -p "$dir/logs" "$dir/tmp"
  "$router/bin/render-conf" "$2" > "$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf"
}

consul_port=$(free_port)
# shellcheck disable=SC2086
$consul_cmd "$consul_port" > "$work/consul.log" 2>&1 &
consul_pid=$!
consul="127.0.0.1:$consul_port"
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$@")" != 000 ]; }
await 600 answers "http://$consul/v1/kv/bench-probe"

ports=()
for i in 1 2 3 4; do ports+=("$(free_port)"); done
BACKEND_PORT_1=${ports[0]} BACKEND_PORT_2=${ports[1]} BACKEND_PORT_3=${ports[2]} BACKEND_PORT_4=${ports[3]} \
  start_nginx backends "$here/backends.conf.template"

: > "$work/map.conf"
: > "$work/map-d.conf"
: > "$work/upstreams.conf"
txn=()
for i in $(seq 1 "$hosts"); do
  host=$(printf 'h%03d.bench.test' "$i")
  addr="127.0.0.1:${ports[$((i % 4))]}"
  echo "$host $addr;" >> "$work/map.conf"
  # D: one upstream block per backend address, as nginx is configured by hand; its keepalive
  # pool is per block, so one block per host would hold a pool per host (5,000 of them).
  echo "$host u${ports[$((i % 4))]};" >> "$work/map-d.conf"
  # B reads <host> at the KV root as the original did; C reads review-apps/routes/<host>.
  value=$(printf '%s' "$addr" | base64)
  for key in "$host" "review-apps/routes/$host"; do
    txn+=("{\"KV\":{\"Verb\":\"set\",\"Key\":\"$key\",\"Value\":\"$value\"}}")
  done
done
for p in "${ports[@]}"; do
  printf 'upstream u%s { server 127.0.0.1:%s; keepalive 64; }\n' "$p" "$p" >> "$work/upstreams.conf"
done
# Consul transactions take at most 64 operations each.
for ((k = 0; k < ${#txn[@]}; k += 64)); do
  batch=$(IFS=,; echo "${txn[*]:k:64}")
  curl -fsS -o /dev/null -X PUT --data-binary "[$batch]" "http://$consul/v1/txn"
done

port_a=$(free_port) port_b=$(free_port) port_c=$(free_port) port_c_status=$(free_port) port_d=$(free_port)
port_e=$(free_port) port_e_status=$(free_port) port_f=$(free_port) port_f_status=$(free_port)
port_g=$(free_port)
mkdir -p "$work/empty-root" "$work/c/state" "$work/e"
ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_a" BENCH_MAP="$work/map.conf" \
  start_nginx a "$here/static.conf.template"
ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_b" BENCH_DIR="$here" CONSUL_ADDR="$consul" \
  BENCH_EMPTY_ROOT="$work/empty-root" start_nginx b "$here/original.conf.template"
cat > "$work/c/router.json" <<JSON
{"consul": "$consul", "domains": ["bench.test"], "allow_loopback": true,
 "self_addresses": ["127.0.0.1:$port_c", "127.0.0.1:$port_c_status"]}
JSON
ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_c" ROUTER_STATUS_LISTEN="127.0.0.1:$port_c_status" \
  ROUTER_CONFIG="$work/c/router.json" start_nginx c "$router/conf/nginx.conf.template"
ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_d" BENCH_MAP="$work/map-d.conf" \
  BENCH_UPSTREAMS="$work/upstreams.conf" start_nginx d "$here/keepalive.conf.template"
ports_up="$port_a $port_b $port_c $port_d"
if [ -n "$baseline" ]; then
  sed "s/$port_c_status/$port_e_status/; s/$port_c/$port_e/" "$work/c/router.json" > "$work/e/router.json"
  ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_e" ROUTER_STATUS_LISTEN="127.0.0.1:$port_e_status" \
    ROUTER_CONFIG="$work/e/router.json" ROUTER_LUA_DIR="$baseline/lua-router/lua" \
    start_nginx e "$baseline/lua-router/conf/nginx.conf.template"
  ports_up="$ports_up $port_e"
fi
if [[ " $variants " == *" F "* ]]; then
  mkdir -p "$work/f"
  echo "{\"peer\": \"127.0.0.1:${ports[0]}\"}" > "$work/f/router.json"
  ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_f" ROUTER_STATUS_LISTEN="127.0.0.1:$port_f_status" \
    ROUTER_CONFIG="$work/f/router.json" ROUTER_LUA_DIR="$here/floor" \
    start_nginx f "$router/conf/nginx.conf.template"
  ports_up="$ports_up $port_f"
fi
if [[ " $variants " == *" G "* ]]; then
  ROUTER_WORKERS=$workers ROUTER_LISTEN="127.0.0.1:$port_g" BENCH_MAP="$work/map-d.conf" \
    BENCH_UPSTREAMS="$work/upstreams.conf" start_nginx g "$here/keepalive.conf.template"
  ports_up="$ports_up $port_g"
fi
has_all_routes() { curl -s "http://127.0.0.1:$1/router-status" | grep -q "\"routes\":$hosts[,}]"; }
await 600 has_all_routes "$port_c_status"
[ -z "$baseline" ] || await 600 has_all_routes "$port_e_status"

# Every router must answer the bench hosts with 200 before anything is measured.
for p in $ports_up; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: h007.bench.test' "http://127.0.0.1:$p/")
  [ "$code" = 200 ] || { echo "bench: router on port $p answered $code" >&2; exit 1; }
done

to_ms() { # wrk latency such as 812.00us, 1.23ms, 2.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# CPU time (user + system, clock ticks) of a router's nginx workers so far: divided by the requests
# of a run, it is the router's own cost per request, which the drift of this machine's speed and
# the scheduling of 2 cores between wrk, backends and router disturb far less than latency.
cpu_ticks() { # cpu_ticks a|b|c|d|e|f|g (the router's directory)
  local t=0 w
  for w in $(pgrep -P "$(cat "$work/$1/logs/nginx.pid")"); do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$w/stat")))
  done
  echo "$t"
}
tick=$(getconf CLK_TCK)

declare -A rps p99 cpu
echo "wrk: 1 thread, $conns connections, ${seconds}s per run, $hosts hosts, $rounds rounds, $workers nginx worker(s) per router, $(nproc) cores"
declare -A round_rps round_p99
read -r -a listed <<< "$variants"
for round in $(seq 1 "$rounds"); do
  # Each round starts one router later (C D G, D G C, G C D, ...), so that every router takes
  # every place in a round equally often. Reversing every other round instead kept the middle one
  # of three always in the middle, always right after another router's run.
  first=$(((round - 1) % ${#listed[@]}))
  order="${listed[*]:first} ${listed[*]:0:first}"
  for v in $order; do
    case $v in A) p=$port_a ;; B) p=$port_b ;; C) p=$port_c ;; D) p=$port_d ;; E) p=$port_e ;; F) p=$port_f ;; G) p=$port_g ;; esac
    dir=$(tr 'A-G' 'a-g' <<< "$v")
    before=$(cpu_ticks "$dir")
    out=$(wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$here/hosts.lua" "http://127.0.0.1:$p/")
    after=$(cpu_ticks "$dir")
    r=$(awk '/^Requests\/sec:/ { print $2 }' <<< "$out")
    l=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<< "$out")
    errs=$(grep -m1 'Socket errors' <<< "$out" || true)
    # wrk leaves timed-out requests (2 s) out of its latency figures; when they are 1% or more
    # of all requests, the true p99 is at least the timeout, and that is what counts.
    done_n=$(awk '/requests in/ { print $1 }' <<< "$out")
    timeouts=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' <<< "$errs")
    if [ -n "$timeouts" ] && [ $((timeouts * 100)) -ge $((done_n + timeouts)) ]; then
      l=2000.000
      errs="$errs (p99 counted as the 2 s timeout)"
    fi
    c=$(awk -v t=$((after - before)) -v hz="$tick" -v n="$done_n" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')
    printf 'round %d  %s  %10.1f req/s  p99 %8.3f ms  cpu %5.1f us/req%s%s\n' "$round" "$v" "$r" "$l" "$c" \
      "${bad:+  non-2xx: $bad}" "${errs:+  $errs}"
    cpu[$v]="${cpu[$v]:-} $c"
    round_rps[$v,$round]=$r
    round_p99[$v,$round]=$l
    rps[$v]="${rps[$v]:-} $r"
    p99[$v]="${p99[$v]:-} $l"
  done
done

# shellcheck disable=SC2086
line="medians:"
for v in $variants; do
  eval "med_rps_$v=$(median ${rps[$v]})"
  eval "med_p99_$v=$(median ${p99[$v]})"
  eval "med_cpu_$v=$(median ${cpu[$v]})"
  line="$line $v $(eval echo "\$med_rps_$v") req/s p99 $(eval echo "\$med_p99_$v") ms cpu $(eval echo "\$med_cpu_$v") us/req |"
done
echo "${line% |}"
ratio() { # ratio NAME X Y FORMAT: prints NAME = X/Y when both were measured
  [ -n "$2" ] && [ -n "$3" ] && awk -v x="$2" -v y="$3" -v n="$1" -v f="$4" 'BEGIN { printf "%s = " f "x\n", n, x / y }'
  return 0
}
ratio "throughput C/A" "${med_rps_C:-}" "${med_rps_A:-}" "%.2f"
ratio "throughput C/B" "${med_rps_C:-}" "${med_rps_B:-}" "%.1f"
ratio "throughput C/D" "${med_rps_C:-}" "${med_rps_D:-}" "%.2f"
ratio "p99 C/A" "${med_p99_C:-}" "${med_p99_A:-}" "%.2f"
ratio "p99 C/B" "${med_p99_C:-}" "${med_p99_B:-}" "%.3f"
ratio "p99 C/D" "${med_p99_C:-}" "${med_p99_D:-}" "%.2f"
ratio "cpu per request C/D" "${med_cpu_C:-}" "${med_cpu_D:-}" "%.2f"
# This machine's speed drifts by a third between rounds: C and D measured next to each other in
# one round share the drift, medians taken apart do not. So also the median of the ratios.
per_round() { # per_round X Y: the ratios X/Y of each round, when both were measured
  [[ " $variants " == *" $1 "* && " $variants " == *" $2 "* ]] || return 0
  local thr="" lat="" round
  for round in $(seq 1 "$rounds"); do
    thr="$thr $(awk -v x="${round_rps[$1,$round]}" -v y="${round_rps[$2,$round]}" 'BEGIN { printf "%.2f", x / y }')"
    lat="$lat $(awk -v x="${round_p99[$1,$round]}" -v y="${round_p99[$2,$round]}" 'BEGIN { printf "%.2f", x / y }')"
  done
  # shellcheck disable=SC2086
  echo "per round $1/$2: throughput$thr (median $(median $thr)x), p99$lat (median $(median $lat)x)"
}
per_round C D
per_round E D
per_round F D
# What the routing adds to Lua entered and left with nothing done.
per_round C F
# Two copies of the same nginx: what this machine alone makes of a ratio that should be 1.
per_round G D
