-- The router's configuration (a JSON file named in nginx.conf), checked once at startup so a
-- mistake stops nginx from starting instead of routing wrongly.
local host = require("router.host")
local peers = require("router.peers")

local M = {}

local DEFAULTS = {
  consul = "127.0.0.1:8500",
  prefix = "review-apps/",
  domains = {},
  allowed_cidrs = {},
  allow_loopback = false,
  self_addresses = {},
  snapshot_path = nil,
  compat_root_keys = false,
  watch_wait_seconds = 30,
  retry_after_seconds = 10,
  fallback_cache_seconds = 2,
  consul_timeout_ms = 1000,
  token_env = "CONSUL_HTTP_TOKEN",
  -- The route table's guard (router/guard.lua): an answer removing more than this share of at
  -- least guard_min_routes routes is held for up to guard_hold_seconds.
  guard_max_removal_share = 0.5,
  guard_min_routes = 3,
  guard_hold_seconds = 300,
  -- Sleep on idle: how often the last request per app is reported to Consul (batched), and how
  -- long a request that is no browser's is held while its app wakes.
  activity_report_seconds = 5,
  wake_timeout_seconds = 30,
  -- Host header values each worker remembers (validated, with their route and counts); a flood
  -- of distinct junk hosts beyond this costs a reset of the worker's records, not memory.
  host_records_max = 10000,
  -- TLS to Consul, the same settings as the consul CLI's variables (which win over these):
  -- CONSUL_TLS_SERVER_NAME, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, CONSUL_HTTP_SSL_VERIFY. The CA
  -- (consul_cacert / CONSUL_CACERT) is nginx's lua_ssl_trusted_certificate, which render-conf
  -- writes; it is accepted here so that one file can hold every setting.
  consul_tls_server_name = false,
  consul_client_cert = false,
  consul_client_key = false,
  consul_ssl_verify = true,
  consul_cacert = false,
}

local function env(getenv, name)
  local v = getenv(name)
  if v == nil or v == "" then
    return nil
  end
  return v
end

local function read_file(path, what)
  local f, err = io.open(path, "r")
  if not f then
    return nil, what .. ": cannot read " .. path .. " (" .. tostring(err) .. ")"
  end
  local text = f:read("*a")
  f:close()
  return text
end

-- Where Consul is and how to speak to it, with the consul CLI's own variables: CONSUL_HTTP_ADDR
-- (wins over the file's "consul"; host:port, http:// or https://), CONSUL_HTTP_SSL,
-- CONSUL_TLS_SERVER_NAME, CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY, CONSUL_HTTP_SSL_VERIFY. The CA
-- (CONSUL_CACERT) is nginx's lua_ssl_trusted_certificate, written by render-conf. Certificate
-- files are read here, in the master, so that workers need no access to them.
function M.consul(c, getenv)
  -- A setting: the consul CLI's variable, else the file's key (false: unset).
  local function setting(variable, key)
    local v = env(getenv, variable)
    if v ~= nil then
      return v
    end
    if c[key] == false or c[key] == nil then
      return nil
    end
    return tostring(c[key])
  end
  local address = env(getenv, "CONSUL_HTTP_ADDR") or tostring(c.consul)
  local scheme, rest = address:match("^(https?)://(.*)$")
  if not scheme then
    scheme = (env(getenv, "CONSUL_HTTP_SSL") or ""):lower() == "true" and "https" or "http"
    rest = address
  end
  local h, p = rest:match("^([%w.-]+):(%d+)/?$")
  if not h then
    return nil, "consul must be host:port, http://host:port or https://host:port, got " .. address
  end
  local consul = {
    host = h,
    port = tonumber(p),
    addr = h .. ":" .. p,
    connect_timeout_ms = c.consul_timeout_ms,
  }
  -- The token, or the file named by <token_env>_FILE (as CONSUL_HTTP_TOKEN_FILE), read here in
  -- the master so that it never shows in a process's environment.
  local token = c.token_env and env(getenv, c.token_env)
  local token_file = c.token_env and env(getenv, c.token_env .. "_FILE")
  if not token and token_file then
    local text, err = read_file(token_file, c.token_env .. "_FILE")
    if not text then
      return nil, err
    end
    token = text:match("^%s*(.-)%s*$")
  end
  if token and token ~= "" then
    consul.token = token
  end
  if scheme == "https" then
    local verify = (env(getenv, "CONSUL_HTTP_SSL_VERIFY") or tostring(c.consul_ssl_verify)):lower()
    if verify ~= "true" and verify ~= "false" then
      return nil, "CONSUL_HTTP_SSL_VERIFY must be true or false, got " .. verify
    end
    local tls = {
      server_name = setting("CONSUL_TLS_SERVER_NAME", "consul_tls_server_name") or h,
      verify = verify == "true",
    }
    local cert = setting("CONSUL_CLIENT_CERT", "consul_client_cert")
    local key = setting("CONSUL_CLIENT_KEY", "consul_client_key")
    if (cert == nil) ~= (key == nil) then
      return nil, "CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY go together: give both or neither"
    end
    if cert then
      local err
      tls.client_cert_pem, err = read_file(cert, "CONSUL_CLIENT_CERT")
      if not tls.client_cert_pem then
        return nil, err
      end
      tls.client_key_pem, err = read_file(key, "CONSUL_CLIENT_KEY")
      if not tls.client_key_pem then
        return nil, err
      end
    end
    consul.tls = tls
  end
  return consul
end

-- raw: decoded JSON table; getenv: os.getenv or a fake. Returns conf or nil and a reason.
function M.build(raw, getenv)
  if type(raw) ~= "table" then
    return nil, "configuration must be a JSON object"
  end
  local c = {}
  for k, v in pairs(DEFAULTS) do
    c[k] = v
  end
  for k, v in pairs(raw) do
    if DEFAULTS[k] == nil and k ~= "snapshot_path" then
      return nil, "unknown configuration key: " .. tostring(k)
    end
    c[k] = v
  end

  local consul, cerr = M.consul(c, getenv or function() end)
  if not consul then
    return nil, cerr
  end
  c.consul = consul

  if type(c.prefix) ~= "string" or not c.prefix:find("^[%w_./-]*$") or c.prefix:find("..", 1, true) then
    return nil, "prefix may contain only letters, digits, _ . / -"
  end
  if c.prefix ~= "" and c.prefix:sub(-1) ~= "/" then
    c.prefix = c.prefix .. "/"
  end
  -- The compatibility switch reads <host> keys at the KV root, as the original design wrote them.
  c.route_prefix = c.compat_root_keys and "" or (c.prefix .. "routes/")
  -- Phases come from the small keys the controller writes for the router (plain text, e.g.
  -- "Deploying"), never from status/, which is large, holds messages and is not the router's to read.
  c.status_prefix = (not c.compat_root_keys) and (c.prefix .. "phases/") or nil
  -- What the router writes: each app's last request (activity/) and wake requests (wake/), which
  -- need the phases to know which apps sleep.
  c.activity_prefix = c.status_prefix and (c.prefix .. "activity/") or nil
  c.wake_prefix = c.status_prefix and (c.prefix .. "wake/") or nil

  if type(c.domains) ~= "table" or #c.domains == 0 then
    return nil, "domains must list at least one domain"
  end
  local domains = {}
  for i, d in ipairs(c.domains) do
    local nd, err = host.normalize_domain(d)
    if not nd then
      return nil, err
    end
    domains[i] = nd
  end
  c.domains = domains

  local policy, err = peers.policy(c)
  if not policy then
    return nil, err
  end
  c.policy = policy

  for _, k in ipairs({ "watch_wait_seconds", "retry_after_seconds", "fallback_cache_seconds", "consul_timeout_ms",
      "activity_report_seconds", "wake_timeout_seconds", "host_records_max" }) do
    if type(c[k]) ~= "number" or c[k] <= 0 then
      return nil, k .. " must be a positive number"
    end
  end
  local share, min_routes, hold =
    tonumber(c.guard_max_removal_share), tonumber(c.guard_min_routes), tonumber(c.guard_hold_seconds)
  if not share or share < 0 or share > 1 then
    return nil, "guard_max_removal_share must be a number from 0 to 1"
  end
  if not min_routes or min_routes < 0 or not hold or hold < 0 then
    return nil, "guard_min_routes and guard_hold_seconds must be numbers >= 0"
  end
  c.guard = { max_removal_share = share, min_routes = min_routes, hold_seconds = hold }
  return c
end

return M
