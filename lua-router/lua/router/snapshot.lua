-- The last table read from Consul, kept on disk so that an nginx restart during a Consul
-- outage still routes. Raw values are stored, so the address policy in force at load time is
-- applied again.
local M = {}

M.VERSION = 1

function M.encode(json_encode, routes, phases, index, saved_at)
  return json_encode({
    version = M.VERSION,
    index = index,
    saved_at = saved_at,
    routes = routes,
    phases = phases,
  })
end

-- Returns { routes = {...}, phases = {...}, index = n } or nil and a reason.
function M.decode(json_decode, text)
  local ok, snap = pcall(json_decode, text or "")
  if not ok or type(snap) ~= "table" or snap.version ~= M.VERSION then
    return nil, "not a router snapshot"
  end
  local out = { routes = {}, phases = {}, index = tonumber(snap.index) or 0 }
  for _, field in ipairs({ "routes", "phases" }) do
    if type(snap[field]) == "table" then
      for k, v in pairs(snap[field]) do
        if type(k) == "string" and type(v) == "string" then
          out[field][k] = v
        end
      end
    end
  end
  return out
end

-- Written to a temporary file and renamed, so a crash mid-write never leaves half a table.
function M.write(path, text)
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "w")
  if not f then
    return nil, err
  end
  local ok, werr = f:write(text)
  f:close()
  if not ok then
    os.remove(tmp)
    return nil, werr
  end
  return os.rename(tmp, path)
end

function M.read(path)
  local f = io.open(path, "r")
  if not f then
    return nil
  end
  local text = f:read("*a")
  f:close()
  return text
end

return M
