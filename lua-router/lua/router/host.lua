-- Host header validation. Whatever comes back from normalize() is safe to put into a Consul
-- key path and into an HTML page: only [a-z0-9.-], bounded length, under a configured domain.
local M = {}

local MAX_HOST = 253
local MAX_LABEL = 63

local function valid_label(label)
  local n = #label
  if n == 0 or n > MAX_LABEL then
    return false
  end
  if not label:find("^[a-z0-9-]+$") then
    return false
  end
  -- RFC 1123: a label neither starts nor ends with a hyphen.
  return label:sub(1, 1) ~= "-" and label:sub(n, n) ~= "-"
end

-- Returns the lower-cased list of labels of a DNS name, or nil and a reason.
local function labels_of(name)
  local labels = {}
  for label in (name .. "."):gmatch("([^.]*)%.") do
    if not valid_label(label) then
      return nil, "invalid label"
    end
    labels[#labels + 1] = label
  end
  return labels
end
M.labels_of = labels_of

-- Normalises a configured domain ("Review.Example.com." -> "review.example.com").
function M.normalize_domain(domain)
  if type(domain) ~= "string" then
    return nil, "domain must be a string"
  end
  local d = domain:lower():gsub("%.$", "")
  if d == "" or #d > MAX_HOST or not labels_of(d) then
    return nil, "invalid domain: " .. domain
  end
  return d
end

-- raw: the Host header as received; domains: list of normalised domains.
-- Returns host, app (the label directly left of the matching domain), or nil and a reason.
function M.normalize(raw, domains)
  if type(raw) ~= "string" or raw == "" then
    return nil, "missing Host header"
  end
  -- Bounded before any pattern work: a 8 KB header must not cost more than a 300-byte one.
  if #raw > MAX_HOST + 7 then
    return nil, "Host header too long"
  end
  if raw:sub(1, 1) == "[" then
    return nil, "IP literal"
  end
  local name, port = raw:match("^([^:]*):(%d+)$")
  if name then
    if #port > 5 or tonumber(port) > 65535 then
      return nil, "invalid port"
    end
  elseif raw:find(":", 1, true) then
    return nil, "invalid port"
  else
    name = raw
  end
  name = name:lower()
  -- One trailing dot is the absolute form of the same name.
  if name:sub(-1) == "." then
    name = name:sub(1, -2)
  end
  if name == "" or #name > MAX_HOST then
    return nil, "Host header too long or empty"
  end
  if name:find("^[0-9.]+$") then
    return nil, "IP literal"
  end
  local labels = labels_of(name)
  if not labels then
    return nil, "invalid characters in host"
  end
  for _, domain in ipairs(domains) do
    local suffix = "." .. domain
    if #name > #suffix and name:sub(-#suffix) == suffix then
      local rest = name:sub(1, -#suffix - 1)
      local app = rest:match("([^.]+)$")
      return name, app
    end
  end
  return nil, "host not under a configured domain"
end

return M
