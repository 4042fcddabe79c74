-- The router's nginx entry points: configure (init_by_lua), start (init_worker_by_lua),
-- access, balance, log, and the two pages of the internal port. Requests only read the
-- shared dict; one watcher per table, in worker 0, writes it.
local cjson = require("cjson")
local config = require("router.config")
local consul = require("router.consul")
local kv = require("router.kv")
local pages = require("router.pages")
local peers = require("router.peers")
local host = require("router.host")
local routetable = require("router.routetable")
local guard = require("router.guard")
local snapshot = require("router.snapshot")
local watch = require("router.watch")
local sleep = require("router.sleep")
local balancer = require("ngx.balancer")

local M = {}

local conf
local ROUTES = ngx.shared.router_routes
local METRICS = ngx.shared.router_metrics
local LOOKUP = ngx.shared.router_lookup
local ACTIVITY = ngx.shared.router_activity

local ROUTE, PHASE = routetable.ROUTE, routetable.PHASE
-- Raised by the writer after every change of the routes: a worker's record of a host (record()
-- below) holds the route it read under one version, good while the version stays the same.
local VERSION = "v:routes"

local function warn(msg)
  ngx.log(ngx.WARN, "router: ", msg)
end

local function count(key, by)
  METRICS:incr(key, by or 1, 0)
end

local function b64(s)
  return ngx.decode_base64(s)
end

-- Worker-local record of what the writer put into the dict, and the raw values behind it
-- (written to the snapshot).
local current = { [ROUTE] = {}, [PHASE] = {} }
local raw = { routes = {}, phases = {} }

local logged_notes = {}
local function note(msg)
  -- The whole table is rebuilt on every change; say each thing once per worker.
  if not logged_notes[msg] then
    logged_notes[msg] = true
    warn(msg)
  end
end

local function save_snapshot(index)
  if not conf.snapshot_path then
    return
  end
  local text = snapshot.encode(cjson.encode, raw.routes, raw.phases, index, ngx.now())
  local ok, err = snapshot.write(conf.snapshot_path, text)
  if not ok then
    note("cannot write snapshot " .. conf.snapshot_path .. ": " .. tostring(err))
  end
end

local guard_state = {}
-- The writer's memo of checked route keys (routetable.routes).
local route_memo = {}

-- Returns the number of changes, or nil and an error, or 0, nil, true when the guard holds the
-- answer (the old table keeps serving and the snapshot is not rewritten).
local function apply_routes(routes_kv)
  local expected = guard.take_marker(routes_kv)
  local desired = routetable.routes(routes_kv, conf.domains, conf.policy, note, route_memo)
  local ok, why, removed = guard.judge(guard_state, current[ROUTE], desired, conf.guard, ngx.now(), expected)
  if not ok then
    if not ROUTES:get("m:guard_held") then
      count("guard_held\troutes")
      warn("route table guard: holding an answer that would remove " .. removed .. " routes at once;"
        .. " serving the old table for up to " .. conf.guard.hold_seconds .. " s unless the"
        .. " controller confirms it (" .. guard.MARKER .. ")")
    end
    ROUTES:set("m:guard_held", removed)
    return 0, nil, true
  end
  if ROUTES:get("m:guard_held") then
    ROUTES:delete("m:guard_held")
    warn("route table guard: released (" .. (why or "the answer recovered") .. ")")
  end
  local changes, err = routetable.apply(ROUTES, ROUTE, current[ROUTE], desired)
  -- After the dict, so that no worker keeps a copy of a value older than the raise; also when
  -- the dict took only part of the change (changes is nil then).
  if changes ~= 0 then
    ROUTES:incr(VERSION, 1, 0)
  end
  if not changes then
    return nil, err
  end
  local n = 0
  for _ in pairs(desired) do
    n = n + 1
  end
  ROUTES:set("m:route_count", n)
  raw.routes = routes_kv
  return changes
end

local function apply_phases(phases)
  local changes, err = routetable.apply(ROUTES, PHASE, current[PHASE], phases)
  if not changes then
    return nil, err
  end
  raw.phases = phases
  return changes
end

-- Called once in the master (init_by_lua). Workers inherit conf through fork.
function M.configure(path)
  local f = assert(io.open(path, "r"), "router: cannot read configuration " .. tostring(path))
  local text = f:read("*a")
  f:close()
  local c, err = config.build(cjson.decode(text), os.getenv)
  if not c then
    error("router: " .. err)
  end
  conf = c
  -- Made before any route, so that raising it later changes a number in place and never needs
  -- room in a full dict. Kept on reload with the table.
  ROUTES:add(VERSION, 0)
  if conf.consul.tls and not conf.consul.tls.verify then
    ngx.log(ngx.WARN, "router: TLS certificate checks of Consul are off (CONSUL_HTTP_SSL_VERIFY=false):",
      " anyone on the path to ", conf.consul.addr, " can read the ACL token and the routes")
  end
  -- On `nginx -s reload` the dict survives with the live table; only a fresh start needs the
  -- snapshot.
  if conf.snapshot_path and not ROUTES:get("m:source") then
    local snap = snapshot.decode(cjson.decode, snapshot.read(conf.snapshot_path))
    if snap then
      assert(apply_routes(snap.routes))
      assert(apply_phases(snap.phases))
      ROUTES:set("m:source", "snapshot")
      ROUTES:set("m:snapshot_index", snap.index)
      ngx.log(ngx.NOTICE, "router: loaded snapshot with index ", snap.index)
    end
  end
end

local function seed_current()
  for _, key in ipairs(ROUTES:get_keys(0)) do
    local p = key:sub(1, 2)
    if current[p] then
      current[p][key:sub(3)] = ROUTES:get(key)
    end
  end
  local snap = conf.snapshot_path and snapshot.decode(cjson.decode, snapshot.read(conf.snapshot_path))
  if snap then
    raw.routes, raw.phases = snap.routes, snap.phases
  end
end

local function watcher(name, prefix, on_change)
  local read_timeout = (conf.watch_wait_seconds * 17 / 16 + 5) * 1000
  local w
  w = watch.new({
    fetch = function(index)
      local path = "/v1/kv/" .. prefix .. "?recurse=true"
      if index > 0 then
        path = path .. "&index=" .. index .. "&wait=" .. conf.watch_wait_seconds .. "s"
      end
      -- The same generous timeout without an index: the whole table from a busy Consul may
      -- take longer than a request-path lookup is allowed to.
      return consul.get(conf.consul, path, read_timeout)
    end,
    decode = function(body)
      return kv.decode_list(body, prefix, cjson.decode, b64)
    end,
    apply = function(map, index)
      local changes, err, held = on_change(map)
      if not changes then
        return nil, err
      end
      if held then
        -- Nothing applied, nothing saved: the next answer (at the latest after the blocking
        -- query's wait) is judged again, even if unchanged, so an expired hold is noticed.
        ROUTES:set("m:index:" .. name, index)
        return true, nil, true
      end
      if changes > 0 then
        -- Exact time, not the event loop's cached one: tests measure propagation with it.
        ngx.update_time()
        ROUTES:set("m:changed_at:" .. name, ngx.now())
      end
      ROUTES:set("m:index:" .. name, index)
      ROUTES:set("m:source", "consul")
      count("sync\t" .. name)
      save_snapshot(index)
      return true
    end,
    on_error = function(err)
      if ngx.worker.exiting() then
        -- worker_shutdown_timeout closing the long poll after a reload is not an outage.
        return
      end
      count("sync_error\t" .. name)
      if tostring(err):find("shared dict full", 1, true) then
        count("dict_full\t" .. name)
      end
      -- Outages last; one line per error would flood the log at the backoff ceiling too.
      if w.errors == 1 or w.errors % 20 == 0 then
        warn(name .. " watch failed (" .. w.errors .. " errors so far, serving the last table): " .. tostring(err))
      end
    end,
    now = ngx.now,
    min_backoff = 0.05,
    max_backoff = 5,
  })
  local function run(premature)
    if premature then
      return
    end
    -- A long poll must not keep an old worker alive: worker_shutdown_timeout bounds the one
    -- in flight, and no new one starts once the worker is exiting.
    while not ngx.worker.exiting() do
      local ok, delay = pcall(w.step, w)
      if not ok then
        delay = w:failed(delay)
      end
      ROUTES:set("m:errors:" .. name, w.errors)
      -- A blocking query that times out unchanged also confirms the table.
      if w.last_ok then
        ROUTES:set("m:synced_at:" .. name, w.last_ok)
      end
      if delay > 0 then
        ngx.sleep(delay)
      end
    end
  end
  assert(ngx.timer.at(0, run))
end

-- Request counts wait in a per-worker table and reach the shared dict once a second: the request
-- path then takes no shared-dict lock for metrics. The same flush records each app's last
-- request (to the second, which is all the activity report keeps) from the counts' keys, so
-- sleep on idle adds no work per request.
local pending = {}
local key_app = {}

-- One record per Host header value this worker has seen: the validated host, its app and dict
-- key, its route as read from the dict under the table's version, the peers parsed from it, and
-- the requests proxied for it since the last flush. At 5,000 hosts a shared-dict read is a walk
-- down a red-black tree spread over the dict's memory (profiled: the router's hottest
-- instruction), and each separate per-host table a request looks into is one more cache miss; a
-- request reads one record and the version key, whose path stays in the CPU cache. Bounded
-- (host_records_max): a flood of distinct junk hosts costs a reset, not memory; the counts of the
-- records reset are kept.
local records, records_n = {}, 0

-- Moves the records' counts to pending (flush_counts) and takes them out of the records.
local function collect_counts(into)
  for _, rec in pairs(records) do
    local n = rec.proxied
    if n > 0 then
      into[rec.proxied_key] = (into[rec.proxied_key] or 0) + n
      rec.proxied = 0
    end
  end
end

-- With 5,000 apps busy, a flush is some 10,000 shared-dict writes, 4 to 7 ms of this worker's
-- time (measured): in one piece it would hold up every request in flight once a second. It gives
-- the event loop a turn after every FLUSH_SLICE writes instead, so no request waits for more than
-- a slice. The turn is a 1 ms sleep: Debian's nginx lacks OpenResty's patch that makes
-- ngx.sleep(0) a cheap yield (without it, each one logs a warning). A premature run (the worker
-- exiting) may not sleep and does it all at once.
local FLUSH_SLICE = 200
local function flush_counts(premature)
  local counts = pending
  pending = {}
  collect_counts(counts)
  local now = ngx.now()
  local active = {}
  local writes = 0
  local function wrote()
    writes = writes + 1
    if writes % FLUSH_SLICE == 0 and not premature then
      ngx.sleep(0.001)
    end
  end
  for key, n in pairs(counts) do
    METRICS:incr(key, n, 0)
    local app = key_app[key]
    if app then
      active[app] = true
    end
    wrote()
  end
  for app in pairs(active) do
    local ok, err = ACTIVITY:set("a:" .. app, now)
    if not ok then
      count("activity_dropped")
      warn("cannot keep the last request of " .. app .. ": " .. tostring(err))
    end
    wrote()
  end
end

-- Worker 0 reports the last request of every app that had one since the last report to
-- <prefix>activity/<app>, in Consul transactions of up to 64 keys: a few writes every
-- activity_report_seconds whatever the request rate, never one per request.
local reported = {}
local function report_activity(premature)
  local latest = {}
  local any = false
  for _, key in ipairs(ACTIVITY:get_keys(0)) do
    if key:sub(1, 2) == "a:" then
      local app = key:sub(3)
      local at = math.floor(ACTIVITY:get(key) or 0)
      if at > (reported[app] or 0) then
        latest[app] = at
        any = true
      end
    end
  end
  if not any then
    return
  end
  for _, body in ipairs(sleep.activity_txns(conf.activity_prefix, latest, cjson.encode, ngx.encode_base64)) do
    local res, err = consul.request(conf.consul, "PUT", "/v1/txn", body, conf.consul_timeout_ms)
    if not res or res.status ~= 200 then
      count("activity_report_error")
      warn("reporting activity to Consul failed (retried in " .. conf.activity_report_seconds .. " s): "
        .. tostring(err or (res.status .. " " .. res.body:sub(1, 200))))
      return
    end
  end
  for app, at in pairs(latest) do
    reported[app] = at
  end
  if premature then
    return
  end
  count("activity_report")
end

-- init_worker_by_lua: worker 0 is the single writer of the table.
function M.start()
  -- Also called with premature = true when the worker exits, so no count is lost on reload.
  assert(ngx.timer.every(1, flush_counts))
  -- Each worker starts its round-robin at its own place.
  math.randomseed(ngx.worker.pid() * 1000 + math.floor(ngx.now() * 1000) % 1000)
  if ngx.worker.id() ~= 0 then
    return
  end
  if conf.activity_prefix then
    -- Also run once more with premature = true as the worker exits: the last requests are kept.
    assert(ngx.timer.every(conf.activity_report_seconds, report_activity))
  end
  seed_current()
  watcher("routes", conf.route_prefix, function(map)
    return apply_routes(map)
  end)
  if conf.status_prefix then
    watcher("status", conf.status_prefix, function(map)
      return apply_phases(routetable.phases(map, note))
    end)
  end
end

-- Requests by app and by what the router did with them: "proxied" (handed to the app; what the
-- app answered is the app's to count) or the status the router answered itself. Counted here in
-- the access phase, so that a request enters no third Lua phase (log_by_lua cost more than all of
-- this); a request held for a waking app and then proxied counts once, as proxied. Keys are
-- built once per app and status: no string garbage per request. App labels are
-- bounded by the route table; hosts that are unknown or invalid share one label each.
local request_keys = { req = {}, upfail = {} }
local function tally_key(app, status, kind)
  kind = kind or "req"
  local of_kind = request_keys[kind]
  local by_status = of_kind[app]
  if not by_status then
    by_status = {}
    of_kind[app] = by_status
  end
  local key = by_status[status]
  if not key then
    key = kind .. "\t" .. app .. "\t" .. status
    by_status[status] = key
    -- Hosts that are unknown or invalid ("_..." labels) are no app's activity.
    key_app[key] = kind == "req" and app:sub(1, 1) ~= "_" and app
  end
  return key
end

local function tally(app, status, kind)
  local key = tally_key(app, status, kind)
  pending[key] = (pending[key] or 0) + 1
end

local function answer(status, body, headers)
  ngx.status = status
  ngx.header["Content-Type"] = "text/html; charset=utf-8"
  ngx.header["Cache-Control"] = "no-store"
  for k, v in pairs(headers or {}) do
    ngx.header[k] = v
  end
  ngx.print(body)
  return ngx.exit(ngx.HTTP_OK)
end

-- With no table at all (no sync yet, no snapshot): ask Consul for this one host, without
-- blocking the worker, and remember the answer briefly. "-" means no such key, "~" that
-- Consul did not answer (remembered too, so an unreachable Consul is not asked per request).
local function lookup(h)
  local cached = LOOKUP:get(h)
  if cached then
    return cached ~= "~" and cached or nil
  end
  count("fallback_lookup")
  local res = consul.get(conf.consul, "/v1/kv/" .. conf.route_prefix .. h, conf.consul_timeout_ms)
  local value
  if res and res.status == 404 then
    value = "-"
  elseif res and res.status == 200 then
    local map = kv.decode_list(res.body, conf.route_prefix, cjson.decode, b64) or {}
    value = routetable.routes(map, conf.domains, conf.policy, warn)[h] or "-"
  else
    LOOKUP:set(h, "~", conf.fallback_cache_seconds)
    return nil
  end
  LOOKUP:set(h, value, conf.fallback_cache_seconds)
  return value
end

local refusals_logged = {}

-- Puts <prefix>wake/<app>, outside the request (a slow Consul must not delay any answer). On
-- failure the marker goes, so that the next request for the app asks again.
local function put_wake(premature, app, at)
  if premature then
    ACTIVITY:delete("w:" .. app)
    return
  end
  local res, err = consul.request(conf.consul, "PUT", "/v1/kv/" .. conf.wake_prefix .. app,
    string.format("%.3f", at), conf.consul_timeout_ms)
  if not res or res.status ~= 200 then
    ACTIVITY:delete("w:" .. app)
    count("wake_request_error")
    warn("asking Consul to wake " .. app .. " failed: " .. tostring(err or res.status))
    return
  end
  count("wake_request")
  ngx.log(ngx.NOTICE, "router: asked to wake ", app)
end

-- One wake request per app at a time, across workers: the first request that finds the app
-- asleep sets the marker (add() fails when it exists), which lapses after wake_timeout_seconds
-- so that an app that went back to sleep can be woken again.
local function ask_wake(app, phase)
  if phase ~= "Sleeping" then
    return
  end
  local now = ngx.now()
  if ACTIVITY:add("w:" .. app, now, conf.wake_timeout_seconds) then
    local ok, err = ngx.timer.at(0, put_wake, app, now)
    if not ok then
      ACTIVITY:delete("w:" .. app)
      warn("cannot ask to wake " .. app .. ": " .. tostring(err))
    end
  end
end

-- A request for an app without a route because it sleeps: ask for a wake, then answer a browser
-- with the waiting page at once, and hold anything else until the route is back (the app is
-- healthy by then) or wake_timeout_seconds pass. Returns the route to proxy to.
local function wake(h, app, key, phase)
  ask_wake(app, phase)
  if sleep.wants_html(ngx.var.http_accept) then
    local asked = ACTIVITY:get("w:" .. app)
    tally(app, 503)
    return answer(503, pages.waking(h, app, phase, asked and (ngx.now() - asked) or 0),
      { ["Retry-After"] = 1, ["X-Review-App-Phase"] = phase })
  end
  count("wake_held")
  local deadline = ngx.now() + conf.wake_timeout_seconds
  repeat
    ngx.sleep(0.05)
    local stored = ROUTES:get(key)
    if stored then
      return stored
    end
    phase = ROUTES:get(PHASE .. app) or phase
    -- Asleep again while this request waits (and the marker lapsed): ask again.
    ask_wake(app, phase)
  until ngx.now() >= deadline or ngx.worker.exiting()
  count("wake_timeout")
  tally(app, 503)
  return answer(503, pages.waking(h, app, phase, conf.wake_timeout_seconds),
    { ["Retry-After"] = conf.retry_after_seconds, ["X-Review-App-Phase"] = phase })
end

-- Parsed peer lists by stored text, per worker; rebuilt when it grows past the table size.
local parsed, parsed_n = {}, 0
local function peer_list(stored)
  local list = parsed[stored]
  if not list then
    if parsed_n > 10000 then
      parsed, parsed_n = {}, 0
    end
    list = peers.decode(stored)
    parsed[stored] = list
    parsed_n = parsed_n + 1
  end
  return list
end

local function record(raw)
  raw = raw or ""
  local rec = records[raw]
  if rec then
    return rec
  end
  if records_n >= conf.host_records_max then
    collect_counts(pending)
    records, records_n = {}, 0
  end
  local h, app = host.normalize(raw, conf.domains)
  rec = { h = h, app = app, proxied = 0 }
  if h then
    -- Built once, so that a request builds no string.
    rec.key = ROUTE .. h
    rec.proxied_key = tally_key(app, "proxied")
  end
  records[raw] = rec
  records_n = records_n + 1
  return rec
end

-- Brings the record's route up to the table's version: the writer raises the version after every
-- change, so a record never serves a route the dict no longer has.
local BANG = ("!"):byte()
local function refresh(rec)
  local version = ROUTES:get(VERSION)
  if rec.version == version then
    return
  end
  local stored = ROUTES:get(rec.key)
  local list = stored and stored:byte(1) ~= BANG and peer_list(stored) or nil
  rec.version, rec.stored, rec.list = version, stored, list
  -- The balancer of a request takes a single peer from here: no ngx.ctx table per request (its
  -- allocation and registry slot cost more than the routing itself). Another request for the
  -- same host may refresh the record between the two phases; then this request goes to the
  -- newer route of the same host, never to another host's.
  rec.single = list and #list == 1 and list[1] or nil
end

-- access_by_lua: validate the Host, find the route, or answer 400/404/502/503 here.
local https_redirect
function M.access()
  -- $host, not the raw header: with an absolute-form request line ("GET http://x/") nginx takes
  -- the host from there, and $host is also what the template passes upstream as Host.
  local rec = record(ngx.var.host)
  local h, app = rec.h, rec.app
  if not h then
    tally("_invalid", 400)
    return answer(400, pages.bad_host(app))
  end
  -- The server block's setting, the same for every request: read once per worker.
  if https_redirect == nil then
    https_redirect = ngx.var.router_https_redirect == "on"
  end
  if https_redirect and ngx.var.scheme == "http" then
    -- Only after the host passed validation: the Location never names a host of the client's
    -- choosing, and a target that is no path (absolute form) redirects to the root.
    local uri = ngx.var.request_uri
    if uri:sub(1, 1) ~= "/" or uri:sub(2, 2) == "/" then
      uri = "/"
    end
    tally(app, 301)
    return ngx.redirect("https://" .. h .. uri, 301)
  end
  refresh(rec)
  local stored = rec.stored
  local list = rec.list
  if stored == nil and not ROUTES:get("m:source") then
    stored = lookup(h)
    if stored == nil then
      tally("_unknown", 503)
      return answer(503, pages.no_table(h), { ["Retry-After"] = conf.retry_after_seconds })
    end
    if stored == "-" then
      stored = nil
    end
  end
  if stored == nil then
    local phase = ROUTES:get(PHASE .. app)
    if phase and conf.wake_prefix and sleep.dormant(phase) then
      -- Counted as activity like any request of the app, the one that wakes it included.
      stored = wake(h, app, rec.key, phase)
      if not stored then
        return
      end
    elseif phase then
      tally(app, 503)
      return answer(503, pages.not_ready(h, app, phase),
        { ["Retry-After"] = conf.retry_after_seconds, ["X-Review-App-Phase"] = phase })
    else
      tally("_unknown", 404)
      return answer(404, pages.unknown_host(h))
    end
  end
  if stored:byte(1) == BANG then
    -- Once per worker and refusal, not per request: a client retrying in a loop must not
    -- flood the log. The counter counts every request.
    if not refusals_logged[stored] then
      refusals_logged[stored] = true
      ngx.log(ngx.ERR, "router: refusing route for ", h, ": ", stored:sub(2))
    end
    count("refused")
    tally(app, 502)
    return answer(502, pages.refused(h))
  end
  if not list then
    -- Read outside the record (the fallback lookup, a woken app; the record had no route, so no
    -- peers either): this request's own. It waited (a Consul lookup, a wake), so the records may
    -- have been reset meanwhile: counted apart.
    tally(app, "proxied")
    ngx.ctx.list = peer_list(stored)
    return
  end
  rec.proxied = rec.proxied + 1
  if #list > 1 then
    -- Retries need the request's own start; only routes with several peers pay for ngx.ctx.
    ngx.ctx.list = list
  end
end

local rr = {}

local function use_peer(p)
  local ok, err = balancer.set_current_peer(p.ip, p.port)
  if not ok then
    ngx.log(ngx.ERR, "router: set_current_peer ", p.ip, ":", p.port, ": ", err)
    return ngx.exit(502)
  end
end

-- balancer_by_lua: one peer, as the access phase found it; with several, a round-robin start and
-- each retry (proxy_next_upstream) the next.
function M.balance()
  local rec = record(ngx.var.host)
  local ctx
  if not rec.single then
    ctx = ngx.ctx
    if not ctx.list then
      -- The records were reset between the phases: a new record, read again.
      refresh(rec)
    end
  end
  if rec.single then
    return use_peer(rec.single)
  end
  local list = ctx.list or rec.list
  if not list then
    return ngx.exit(502)
  end
  ctx.list = list
  local h = rec.h
  local n = #list
  if not ctx.try then
    local start = (rr[h] or math.random(n)) % n + 1
    rr[h] = start
    ctx.start, ctx.try = start, 0
    if n > 1 then
      balancer.set_more_tries(n - 1)
    end
  else
    ctx.try = ctx.try + 1
    count("upstream_retry")
  end
  return use_peer(list[(ctx.start + ctx.try - 1) % n + 1])
end

-- error_page 502 504 of the proxied location: nginx got no answer from any peer of the route
-- (refused, reset, timed out). Counted by app and status, then nginx's own error page; the app's
-- own 502 and 504 answers never come here (proxy_intercept_errors is off).
function M.upstream_failed()
  local status = ngx.status
  tally(record(ngx.var.host).app or "_invalid", status, "upfail")
  return ngx.exit(status)
end

local function age(name)
  local at = ROUTES:get("m:synced_at:" .. name)
  return at and (ngx.now() - at) or nil
end

function M.status_page()
  local watches = {}
  for _, name in ipairs({ "routes", conf.status_prefix and "status" or nil }) do
    local a = age(name)
    watches[name] = {
      last_index = ROUTES:get("m:index:" .. name) or cjson.null,
      last_sync_age_seconds = a and math.floor(a * 1000) / 1000 or cjson.null,
      errors = ROUTES:get("m:errors:" .. name) or 0,
      last_change_at = ROUTES:get("m:changed_at:" .. name) or cjson.null,
    }
  end
  local a = age("routes")
  ngx.header["Content-Type"] = "application/json"
  ngx.say(cjson.encode({
    routes = ROUTES:get("m:route_count") or 0,
    last_index = ROUTES:get("m:index:routes") or cjson.null,
    last_sync_age_seconds = a and math.floor(a * 1000) / 1000 or cjson.null,
    source = ROUTES:get("m:source") or cjson.null,
    compat_root_keys = conf.compat_root_keys,
    watches = watches,
  }))
end

local function label(s)
  return (tostring(s):gsub("[\\\"\n]", "_"))
end

function M.metrics_page()
  local out = {
    "# HELP router_requests_total Requests by review app and what the router did: proxied (handed to the app), or the HTTP status the router answered itself.",
    "# TYPE router_requests_total counter",
  }
  local failures = {
    "# HELP router_upstream_failures_total Proxied requests no peer of the route answered (nginx's 502 or 504), by review app and status.",
    "# TYPE router_upstream_failures_total counter",
  }
  local other = {}
  local keys = METRICS:get_keys(0)
  table.sort(keys)
  for _, key in ipairs(keys) do
    local v = METRICS:get(key)
    local kind, a, b = key:match("^([^\t]+)\t?([^\t]*)\t?([^\t]*)$")
    if kind == "req" then
      out[#out + 1] = 'router_requests_total{app="' .. label(a) .. '",status="' .. label(b) .. '"} ' .. v
    elseif kind == "upfail" then
      failures[#failures + 1] =
        'router_upstream_failures_total{app="' .. label(a) .. '",status="' .. label(b) .. '"} ' .. v
    elseif kind then
      other[kind] = other[kind] or {}
      other[kind][#other[kind] + 1] = { a, v }
    end
  end
  local function series(kind, name, help)
    out[#out + 1] = "# HELP " .. name .. " " .. help
    out[#out + 1] = "# TYPE " .. name .. " counter"
    local rows = other[kind] or { { "", 0 } }
    for _, row in ipairs(rows) do
      local l = row[1] ~= "" and ('{watch="' .. label(row[1]) .. '"}') or ""
      out[#out + 1] = name .. l .. " " .. row[2]
    end
  end
  for _, line in ipairs(failures) do
    out[#out + 1] = line
  end
  series("sync", "router_syncs_total", "Table updates applied from Consul, by watch.")
  series("sync_error", "router_sync_errors_total", "Failed Consul watch requests, by watch.")
  series("guard_held", "router_guard_holds_total", "Watch answers the route table guard held (mass removal), by watch.")
  out[#out + 1] = "# HELP router_guard_held_removals Routes an answer held by the guard would remove; 0 when nothing is held."
  out[#out + 1] = "# TYPE router_guard_held_removals gauge"
  out[#out + 1] = "router_guard_held_removals " .. (ROUTES:get("m:guard_held") or 0)
  series("dict_full", "router_dict_full_total", "Table updates the shared dict could not take in full (raise lua_shared_dict router_routes), by watch.")
  series("refused", "router_refused_routes_total", "Requests answered 502 because the route's addresses are not allowed.")
  series("upstream_retry", "router_upstream_retries_total", "Requests retried on another upstream.")
  series("fallback_lookup", "router_fallback_lookups_total", "Direct Consul lookups made while no table was available.")
  series("wake_request", "router_wake_requests_total", "Wake requests written to Consul for sleeping apps (one per app at a time).")
  series("wake_request_error", "router_wake_request_errors_total", "Wake requests Consul did not take (asked again by the next request).")
  series("wake_held", "router_wake_held_requests_total", "Requests held while their app woke up.")
  series("wake_timeout", "router_wake_timeouts_total", "Held requests answered 503 because the app did not wake within wake_timeout_seconds.")
  series("activity_report", "router_activity_reports_total", "Batches of last-request times written to Consul.")
  series("activity_report_error", "router_activity_report_errors_total", "Failed activity reports (retried).")
  out[#out + 1] = "# HELP router_routes Hosts in the route table."
  out[#out + 1] = "# TYPE router_routes gauge"
  out[#out + 1] = "router_routes " .. (ROUTES:get("m:route_count") or 0)
  out[#out + 1] = "# HELP router_last_sync_age_seconds Seconds since the table was last confirmed by Consul."
  out[#out + 1] = "# TYPE router_last_sync_age_seconds gauge"
  for _, name in ipairs({ "routes", conf.status_prefix and "status" or nil }) do
    local a = age(name)
    if a then
      out[#out + 1] = 'router_last_sync_age_seconds{watch="' .. name .. '"} ' .. a
    end
  end
  ngx.header["Content-Type"] = "text/plain; version=0.0.4"
  ngx.say(table.concat(out, "\n"))
end

return M
