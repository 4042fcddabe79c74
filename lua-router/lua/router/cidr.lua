-- IPv4 address and CIDR arithmetic without bit operations, so the same code runs on LuaJIT
-- (nginx) and on the plain Lua that busted uses.
local M = {}

-- "10.1.2.3" -> 167838211, or nil for anything that is not a dotted-quad IPv4 literal.
function M.parse_ip(s)
  if type(s) ~= "string" then
    return nil
  end
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then
    return nil
  end
  local n = 0
  for _, part in ipairs({ a, b, c, d }) do
    -- Leading zeros are refused: some resolvers read "010" as octal.
    if #part > 3 or (#part > 1 and part:sub(1, 1) == "0") then
      return nil
    end
    local v = tonumber(part)
    if v > 255 then
      return nil
    end
    n = n * 256 + v
  end
  return n
end

-- "10.0.0.0/8" -> { first = ..., last = ..., text = "10.0.0.0/8" }, or nil and a reason.
function M.parse_cidr(s)
  local addr, bits = tostring(s):match("^([%d.]+)/(%d+)$")
  if not addr then
    addr, bits = tostring(s), "32"
  end
  local n = M.parse_ip(addr)
  bits = tonumber(bits)
  if not n or bits > 32 then
    return nil, "invalid CIDR: " .. tostring(s)
  end
  local size = 2 ^ (32 - bits)
  local first = n - n % size
  if first ~= n then
    return nil, "CIDR has host bits set: " .. tostring(s)
  end
  return { first = first, last = first + size - 1, text = s }
end

function M.contains(range, n)
  return n >= range.first and n <= range.last
end

-- Compiles a list of CIDR strings; fails on the first invalid one so a typo in the
-- configuration stops nginx from starting instead of silently allowing nothing or everything.
function M.compile(list)
  local out = {}
  for _, s in ipairs(list or {}) do
    local r, err = M.parse_cidr(s)
    if not r then
      return nil, err
    end
    out[#out + 1] = r
  end
  return out
end

function M.any_contains(ranges, n)
  for _, r in ipairs(ranges) do
    if n >= r.first and n <= r.last then
      return r
    end
  end
  return nil
end

return M
