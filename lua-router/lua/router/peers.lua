-- Route values ("ip:port[,ip:port...]") and the address policy applied to them. Whoever can
-- write a route key must not be able to make the router reach metadata services, loopback
-- services or the router itself, so every address is checked before it is stored.
local cidr = require("router.cidr")

local M = {}

-- Never reachable, whatever the allowed CIDRs say: "this network", link-local (cloud metadata
-- at 169.254.169.254), multicast and reserved/broadcast.
local ALWAYS_DENIED = { "0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4" }
local LOOPBACK = cidr.parse_cidr("127.0.0.0/8")

-- conf: { allowed_cidrs = {...}, allow_loopback = bool, self_addresses = {"ip:port", ...} }
function M.policy(conf)
  local allowed, err = cidr.compile(conf.allowed_cidrs or {})
  if not allowed then
    return nil, err
  end
  local self = {}
  for _, a in ipairs(conf.self_addresses or {}) do
    local ip, port = tostring(a):match("^([%d.]+):(%d+)$")
    if not ip or not cidr.parse_ip(ip) then
      return nil, "self_addresses entries must be ip:port, got " .. tostring(a)
    end
    self[ip .. ":" .. tonumber(port)] = true
  end
  return {
    allowed = allowed,
    denied = assert(cidr.compile(ALWAYS_DENIED)),
    allow_loopback = conf.allow_loopback == true,
    self = self,
  }
end

-- Why an address is refused, or nil when it may be used.
function M.refusal(policy, ip, n, port)
  if policy.self[ip .. ":" .. port] then
    return "is the router itself"
  end
  local denied = cidr.any_contains(policy.denied, n)
  if denied then
    return "lies in always-denied " .. denied.text
  end
  if cidr.contains(LOOPBACK, n) then
    return (not policy.allow_loopback) and "is loopback" or nil
  end
  if not cidr.any_contains(policy.allowed, n) then
    return "is outside the allowed CIDRs"
  end
  return nil
end

-- Returns peers, refused for a route value; or nil and a reason when the value is malformed.
-- peers: list of { ip = "10.0.0.5", port = 8080 }; refused: list of "addr reason" strings.
function M.parse(value, policy)
  if type(value) ~= "string" then
    return nil, "route value missing"
  end
  local peers, refused, seen = {}, {}, {}
  local count = 0
  for item in (value .. ","):gmatch("([^,]*),") do
    item = item:match("^%s*(.-)%s*$")
    if item ~= "" then
      count = count + 1
      local ip, port = item:match("^([%d.]+):(%d+)$")
      local n = ip and cidr.parse_ip(ip)
      port = port and tonumber(port)
      if not n or not port or port < 1 or port > 65535 then
        -- set_current_peer takes IP literals only; names would need a resolver per request.
        return nil, "not an IPv4 ip:port: " .. item:sub(1, 64)
      end
      local why = M.refusal(policy, ip, n, port)
      local addr = ip .. ":" .. port
      if why then
        refused[#refused + 1] = addr .. " " .. why
      elseif not seen[addr] then
        seen[addr] = true
        peers[#peers + 1] = { ip = ip, port = port }
      end
    end
  end
  if count == 0 then
    return nil, "empty route value"
  end
  return peers, refused
end

-- The canonical text stored in the shared dict: allowed peers only, or "!" and the reason
-- when nothing is left, so requests answer 502 without parsing the policy again.
function M.encode(peers, refused)
  if #peers == 0 then
    return "!" .. table.concat(refused, "; ")
  end
  local parts = {}
  for i, p in ipairs(peers) do
    parts[i] = p.ip .. ":" .. p.port
  end
  return table.concat(parts, ",")
end

-- Parses a stored canonical value (already checked) into peers, for the balancer.
function M.decode(stored)
  local peers = {}
  for ip, port in stored:gmatch("([%d.]+):(%d+)") do
    peers[#peers + 1] = { ip = ip, port = tonumber(port) }
  end
  return peers
end

return M
