-- Test doubles: a shared-dict-like store and a scripted Consul transport.
local M = {}

function M.store(capacity)
  local s = { data = {}, capacity = capacity or math.huge }
  function s:count()
    local n = 0
    for _ in pairs(self.data) do
      n = n + 1
    end
    return n
  end
  s.refuse = {}
  function s:safe_set(k, v)
    if self.refuse[k] or (self.data[k] == nil and self:count() >= self.capacity) then
      return nil, "no memory"
    end
    self.data[k] = v
    return true
  end
  function s:delete(k)
    self.data[k] = nil
  end
  function s:get(k)
    return self.data[k]
  end
  return s
end

-- replies: list of { status, index, body } or { err = "..." }; records the index of each call.
function M.transport(replies)
  local t = { calls = {} }
  function t.fetch(index)
    t.calls[#t.calls + 1] = index
    local r = table.remove(replies, 1)
    assert(r, "no scripted reply left")
    if r.err then
      return nil, r.err
    end
    return r
  end
  return t
end

return M
