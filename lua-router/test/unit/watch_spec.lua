local fakes = require("fakes")
local watch = require("router.watch")

-- A watcher whose decode passes bodies through as ready-made tables.
local function watcher(replies)
  local t = fakes.transport(replies)
  local applied, errors = {}, {}
  local w
  w = watch.new({
    fetch = t.fetch,
    decode = function(body)
      w.decoded = (w.decoded or 0) + 1
      if body == "garbage" then
        return nil, "not a list"
      end
      return body
    end,
    apply = function(map, index)
      applied[#applied + 1] = { map = map, index = index }
      return true
    end,
    on_error = function(err)
      errors[#errors + 1] = err
    end,
    now = function()
      return 100
    end,
    min_backoff = 0.05,
    max_backoff = 0.4,
  })
  return w, t, applied, errors
end

describe("router.watch", function()
  it("starts without an index, then blocks on the last X-Consul-Index", function()
    local w, t, applied = watcher({
      { status = 200, index = "12", body = { a = "1" } },
      { status = 200, index = "15", body = { a = "2" } },
      { status = 200, index = "15", body = { a = "2" } },
    })
    assert.equal(0, w:step())
    assert.equal(0, w:step())
    assert.equal(0, w:step())
    assert.same({ 0, 12, 15 }, t.calls)
    -- The third reply is a wait that timed out unchanged: nothing to apply.
    assert.same({ { map = { a = "1" }, index = 12 }, { map = { a = "2" }, index = 15 } }, applied)
    assert.equal(100, w.last_ok)
  end)

  it("neither decodes nor applies a timed-out answer with the same index", function()
    -- What a wait that timed out looks like: the whole prefix again, same X-Consul-Index. At
    -- 5,000 keys decoding it cost the worker 7 ms every wait period.
    local w, _, applied, errors = watcher({
      { status = 200, index = "7", body = { a = "1" } },
      { status = 200, index = "7", body = "garbage" },
      { status = 200, index = "7", body = { a = "1" } },
      { status = 200, index = "8", body = { a = "2" } },
    })
    for _ = 1, 4 do
      assert.equal(0, w:step())
    end
    assert.equal(2, w.decoded)
    assert.same({ 7, 8 }, { applied[1].index, applied[2].index })
    assert.same({}, errors)
  end)

  it("treats 404 as an empty table (Consul's answer when no key exists)", function()
    local w, _, applied = watcher({
      { status = 200, index = "5", body = { a = "1" } },
      { status = 404, index = "6", body = "" },
    })
    w:step()
    w:step()
    assert.same({}, applied[2].map)
  end)

  it("accepts an index that goes backwards and never sends one below 1", function()
    local w, t = watcher({
      { status = 200, index = "40", body = {} },
      { status = 200, index = "3", body = {} },
      { status = 200, index = "0", body = {} },
      { status = 200, index = "0", body = {} },
    })
    for _ = 1, 4 do
      w:step()
    end
    assert.same({ 0, 40, 3, 1 }, t.calls)
  end)

  it("backs off exponentially on errors, keeps the table, and resyncs without blocking", function()
    local w, t, applied, errors = watcher({
      { status = 200, index = "9", body = { a = "1" } },
      { err = "connection refused" },
      { status = 500, index = "9", body = "" },
      { status = 200, body = {} },
      { status = 200, index = "9", body = "garbage" },
      { err = "timeout" },
      { status = 200, index = "9", body = { a = "1" } },
    })
    assert.equal(0, w:step())
    assert.same({ 0.05, 0.1, 0.2, 0.4, 0.4 }, { w:step(), w:step(), w:step(), w:step(), w:step() })
    assert.same({ "connection refused", "Consul answered HTTP 500", "Consul reply without X-Consul-Index", "not a list", "timeout" }, errors)
    assert.equal(1, #applied)
    assert.equal(0, w:step())
    -- After an error the next query carries no index: a restarted Consul may count from 1 again.
    assert.same({ 0, 9, 0, 0, 0, 0, 0 }, t.calls)
    assert.equal(0, w.backoff)
    assert.equal(5, w.errors)
  end)

  it("applies the first reply even when its index equals the one it already had", function()
    local w, _, applied = watcher({
      { err = "down" },
      { status = 200, index = "0", body = { a = "1" } },
    })
    w:step()
    w:step()
    assert.equal(1, #applied)
  end)

  it("applies an unchanged answer again when apply asked for it (a held answer)", function()
    local replies = {
      { status = 200, index = "5", body = {} },
      { status = 200, index = "5", body = {} },
      { status = 200, index = "5", body = {} },
    }
    local t = fakes.transport(replies)
    local applied, hold = 0, true
    local w = watch.new({
      fetch = t.fetch,
      decode = function(b) return b end,
      apply = function()
        applied = applied + 1
        return true, nil, hold
      end,
      now = os.time,
    })
    w:step()
    w:step()
    assert.equal(2, applied)
    hold = false
    w:step()
    assert.equal(3, applied)
    -- Released: the same index is not applied again.
    replies[#replies + 1] = { status = 200, index = "5", body = {} }
    w:step()
    assert.equal(3, applied)
    assert.same({ 0, 5, 5, 5 }, t.calls)
  end)

  it("counts a failed apply as an error and retries it", function()
    local t = fakes.transport({ { status = 200, index = "2", body = {} }, { status = 200, index = "2", body = {} } })
    local fail = true
    local w = watch.new({
      fetch = t.fetch,
      decode = function(b) return b end,
      apply = function()
        if fail then
          fail = false
          return nil, "dict full"
        end
        return true
      end,
      now = os.time,
    })
    assert.is_true(w:step() > 0)
    assert.is_false(w.synced)
    assert.equal(0, w:step())
    assert.is_true(w.synced)
  end)
end)
