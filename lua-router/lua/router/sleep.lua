-- Sleep on idle, the router's part: which requests wait for a wake, and the Consul transaction
-- that reports each app's last request. Pure functions; init.lua does the I/O.
local M = {}

-- Phases of an app that has no route because it sleeps or is waking up again.
function M.dormant(phase)
  return phase == "Sleeping" or phase == "Waking"
end

-- True for a browser's navigation: it gets the waiting page at once. Anything else (an API
-- client, curl's */*, fetch()) is held until the app answers.
function M.wants_html(accept)
  if type(accept) == "table" then
    accept = table.concat(accept, ",")
  end
  return type(accept) == "string" and accept:lower():find("text/html", 1, true) ~= nil
end

-- Consul allows 64 operations per transaction.
M.TXN_MAX = 64

-- Bodies of PUT /v1/txn that set <prefix><app> to the whole Unix second of its last request, for
-- every app in `latest` ({ app = seconds }), sorted by app for stable output, 64 per body.
function M.activity_txns(prefix, latest, encode_json, encode_base64)
  local apps = {}
  for app in pairs(latest) do
    apps[#apps + 1] = app
  end
  table.sort(apps)
  local bodies, ops = {}, {}
  for _, app in ipairs(apps) do
    ops[#ops + 1] = {
      KV = { Verb = "set", Key = prefix .. app, Value = encode_base64(string.format("%d", latest[app])) },
    }
    if #ops == M.TXN_MAX then
      bodies[#bodies + 1] = encode_json(ops)
      ops = {}
    end
  end
  if #ops > 0 then
    bodies[#bodies + 1] = encode_json(ops)
  end
  return bodies
end

return M
