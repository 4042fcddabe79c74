-- The route table's guard against a Consul that lies: an answer that would remove more than a
-- share of the routes at once (a 404 for the whole prefix after an ACL change, an empty listing
-- from a broken agent) is held for a while. The old table keeps serving and the snapshot on disk
-- stays as it was. A real drop still goes through: once the hold has lasted `hold_seconds`, or
-- at once when the controller's marker key confirms the new size.
--
-- The marker: <prefix>routes/.expected holds the number of routes the controller has just
-- published (it writes it when it removes many at once). It is no host, so it never becomes a
-- route; an answer whose route count equals it is believed.
local M = {}

M.MARKER = ".expected"

local function count(t)
  local n = 0
  for _ in pairs(t) do
    n = n + 1
  end
  return n
end

-- state: a table the caller keeps across answers ({ held_since = seconds or nil }).
-- current, desired: { [host] = value }; opts: { max_removal_share, min_routes, hold_seconds };
-- expected: the marker's number or nil. Returns true (apply) or false (hold), and a word for the
-- log: "held", "expired", "confirmed" or nil for an ordinary answer.
function M.judge(state, current, desired, opts, now, expected)
  local current_n = count(current)
  local removed = 0
  for k in pairs(current) do
    if desired[k] == nil then
      removed = removed + 1
    end
  end
  if current_n < opts.min_routes or removed <= current_n * opts.max_removal_share then
    state.held_since = nil
    return true
  end
  if expected ~= nil and expected == count(desired) then
    state.held_since = nil
    return true, "confirmed"
  end
  state.held_since = state.held_since or now
  if now - state.held_since >= opts.hold_seconds then
    state.held_since = nil
    return true, "expired"
  end
  return false, "held", removed
end

-- Takes the marker out of a routes map (it is no host) and returns its number, if it has one.
function M.take_marker(kv)
  local v = kv[M.MARKER]
  kv[M.MARKER] = nil
  local n = v and tonumber((tostring(v):match("^%s*(%d+)%s*$")))
  return n
end

return M
