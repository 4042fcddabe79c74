-- Turns what Consul holds into what the shared dict holds, and applies the difference.
-- Requests only ever read the dict; this module is the single writer (watcher worker).
local host = require("router.host")
local peers = require("router.peers")

local M = {}

M.ROUTE = "r:"
M.PHASE = "p:"

local function noop() end

-- The stored value for one route key, or nil when the key is no route of ours.
local function route(key, value, domains, policy, log)
  local h = host.normalize(key, domains)
  if h ~= key then
    -- Keys that are not exactly a normalised host under our domains never become routes.
    log("ignoring route key that is not a host under the configured domains: " .. key:sub(1, 80))
    return nil
  end
  local ok, refused = peers.parse(value, policy)
  if not ok then
    log("route for " .. h .. " refused: " .. refused)
    return "!" .. refused
  end
  if #refused > 0 then
    log("route for " .. h .. " refused addresses: " .. table.concat(refused, "; "))
  end
  return peers.encode(ok, refused)
end

-- kv: { [host] = "ip:port,..." } as read from <prefix>routes/ (or the KV root in compat mode).
-- Returns { [host] = stored value } where the stored value is peers.encode()'s canonical text.
-- memo (optional, kept by the caller between answers): what each key's value became last time. A
-- key whose value is the same is not checked again: at 5,000 routes, checking every host and
-- address on each change took the writer worker 24 to 46 ms; with the memo only the changed keys
-- are checked (and logged). Keys gone from kv leave it.
function M.routes(kv, domains, policy, log, memo)
  log = log or noop
  local desired = {}
  for key, value in pairs(kv) do
    local seen = memo and memo[key]
    local stored
    if seen and seen.value == value then
      stored = seen.stored
    else
      stored = route(key, value, domains, policy, log) or false
      if memo then
        memo[key] = { value = value, stored = stored }
      end
    end
    if stored then
      desired[key] = stored
    end
  end
  if memo then
    for key in pairs(memo) do
      if kv[key] == nil then
        memo[key] = nil
      end
    end
  end
  return desired
end

-- kv: { [app name] = phase as plain text (<prefix>phases/<name>) }. Returns { [app name] = phase }.
function M.phases(kv, log)
  log = log or noop
  local out = {}
  for name, value in pairs(kv) do
    local phase = type(value) == "string" and value:match("^%s*(.-)%s*$")
    if #name <= 63 and name:find("^[a-z0-9-]+$") and type(phase) == "string"
        and phase:find("^[A-Za-z]+$") and #phase <= 32 then
      out[name] = phase
    else
      log("ignoring status key without a usable phase: " .. name:sub(1, 80))
    end
  end
  return out
end

-- Makes the dict hold exactly `desired` under `prefix`, given that it currently holds
-- `current` (the writer's own record). Returns the number of changed keys, or nil and an
-- error naming how many entries the dict could not take. safe_set never evicts other routes to
-- make room. Deletions go first, so that they free room for additions; an entry whose new value
-- does not fit is deleted rather than left with its old value, so a full dict never serves a
-- route Consul no longer has. The caller retries the rest with the next answer.
function M.apply(store, prefix, current, desired)
  local changes, refused, why = 0, 0, nil
  for k in pairs(current) do
    if desired[k] == nil then
      store:delete(prefix .. k)
      current[k] = nil
      changes = changes + 1
    end
  end
  for k, v in pairs(desired) do
    if current[k] ~= v then
      local ok, err = store:safe_set(prefix .. k, v)
      if ok then
        current[k] = v
        changes = changes + 1
      else
        refused, why = refused + 1, err
        if current[k] ~= nil then
          store:delete(prefix .. k)
          current[k] = nil
          changes = changes + 1
        end
      end
    end
  end
  if refused > 0 then
    return nil, "shared dict full: " .. refused .. " entries not stored (" .. tostring(why) .. ")"
  end
  return changes
end

return M
