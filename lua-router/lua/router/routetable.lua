-- Turns what Consul holds into what the shared dict holds, and applies the difference.
-- Requests only ever read the dict; this module is the single writer (watcher worker).
local host = require("router.host")
local peers = require("router.peers")

local M = {}

M.ROUTE = "r:"
M.PHASE = "p:"

local function noop() end

-- kv: { [host] = "ip:port,..." } as read from <prefix>routes/ (or the KV root in compat mode).
-- Returns { [host] = stored value } where the stored value is peers.encode()'s canonical text.
function M.routes(kv, domains, policy, log)
  log = log or noop
  local desired = {}
  for key, value in pairs(kv) do
    local h = host.normalize(key, domains)
    if h ~= key then
      -- Keys that are not exactly a normalised host under our domains never become routes.
      log("ignoring route key that is not a host under the configured domains: " .. key:sub(1, 80))
    else
      local ok, refused = peers.parse(value, policy)
      if not ok then
        desired[h] = "!" .. refused
        log("route for " .. h .. " refused: " .. refused)
      else
        if #refused > 0 then
          log("route for " .. h .. " refused addresses: " .. table.concat(refused, "; "))
        end
        desired[h] = peers.encode(ok, refused)
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
