local guard = require("router.guard")

local OPTS = { max_removal_share = 0.5, min_routes = 3, hold_seconds = 60 }

local function hosts(n, from)
  local t = {}
  for i = from or 1, (from or 1) + n - 1 do
    t["deploy-" .. i .. ".review.test"] = "10.0.0." .. i .. ":80"
  end
  return t
end

describe("route table guard", function()
  it("applies ordinary changes and small removals at once", function()
    local state = {}
    assert.is_true(guard.judge(state, hosts(10), hosts(6), OPTS, 100))
    assert.is_true(guard.judge(state, hosts(10), hosts(12), OPTS, 100))
    assert.is_nil(state.held_since)
  end)

  it("holds an answer that removes most routes, then lets it through when the hold expires", function()
    local state = {}
    local ok, why, removed = guard.judge(state, hosts(10), {}, OPTS, 100)
    assert.is_false(ok)
    assert.equal("held", why)
    assert.equal(10, removed)
    assert.is_false((guard.judge(state, hosts(10), {}, OPTS, 159)))
    assert.equal(100, state.held_since)
    local later, word = guard.judge(state, hosts(10), {}, OPTS, 160)
    assert.is_true(later)
    assert.equal("expired", word)
    assert.is_nil(state.held_since)
  end)

  it("lets a real drop through at once when the controller's marker confirms the new size", function()
    local state = {}
    assert.is_false((guard.judge(state, hosts(10), hosts(1), OPTS, 100)))
    local ok, word = guard.judge(state, hosts(10), hosts(1), OPTS, 101, 1)
    assert.is_true(ok)
    assert.equal("confirmed", word)
    -- A marker that does not match the answer confirms nothing.
    assert.is_false((guard.judge({}, hosts(10), {}, OPTS, 100, 4)))
  end)

  it("a recovered answer clears the hold", function()
    local state = {}
    assert.is_false((guard.judge(state, hosts(10), {}, OPTS, 100)))
    assert.is_true(guard.judge(state, hosts(10), hosts(10), OPTS, 110))
    assert.is_nil(state.held_since)
  end)

  it("small tables are never held", function()
    assert.is_true(guard.judge({}, hosts(2), {}, OPTS, 100))
  end)

  it("takes the marker out of the routes and reads only a plain number", function()
    local kv = { [".expected"] = "3\n", ["a.review.test"] = "10.0.0.1:80" }
    assert.equal(3, guard.take_marker(kv))
    assert.is_nil(kv[".expected"])
    assert.is_nil(guard.take_marker({ [".expected"] = "3; DROP" }))
    assert.is_nil(guard.take_marker({}))
  end)
end)
