local cjson = require("cjson")
local mime = require("mime")
local fakes = require("fakes")
local kv = require("router.kv")
local peers = require("router.peers")
local routetable = require("router.routetable")

local domains = { "review.test" }
local policy = assert(peers.policy({ allowed_cidrs = { "10.0.0.0/8" } }))

local function consul_list(prefix, map)
  local list = {}
  for k, v in pairs(map) do
    list[#list + 1] = { Key = prefix .. k, Value = v and (mime.b64(v)) or cjson.null, ModifyIndex = 7 }
  end
  return cjson.encode(list)
end

describe("router.kv.decode_list", function()
  it("keeps only the keys directly under the prefix, base64-decoded", function()
    local body = consul_list("review-apps/routes/", { ["a.review.test"] = "10.0.0.1:80", ["x/nested"] = "y", [""] = "dir" })
    assert.same({ ["a.review.test"] = "10.0.0.1:80" },
      kv.decode_list(body, "review-apps/routes/", cjson.decode, mime.unb64))
  end)

  it("reads a key without a value as empty and refuses a body that is not a list", function()
    local body = cjson.encode({ { Key = "p/k", Value = cjson.null } })
    assert.same({ k = "" }, kv.decode_list(body, "p/", cjson.decode, mime.unb64))
    assert.is_nil(kv.decode_list("", "p/", cjson.decode, mime.unb64))
    assert.is_nil(kv.decode_list("<html>", "p/", cjson.decode, mime.unb64))
  end)
end)

describe("router.routetable", function()
  it("turns route keys into canonical values and refusals, ignoring foreign keys", function()
    local notes = {}
    local desired = routetable.routes({
      ["a.review.test"] = "10.0.0.1:80,10.0.0.2:80",
      ["meta.review.test"] = "169.254.169.254:80",
      ["bad.review.test"] = "db.internal:5432",
      ["A.review.test"] = "10.0.0.3:80",
      ["other.org"] = "10.0.0.4:80",
      ["../x"] = "10.0.0.5:80",
    }, domains, policy, function(m) notes[#notes + 1] = m end)
    assert.same({
      ["a.review.test"] = "10.0.0.1:80,10.0.0.2:80",
      ["meta.review.test"] = "!169.254.169.254:80 lies in always-denied 169.254.0.0/16",
      ["bad.review.test"] = "!not an IPv4 ip:port: db.internal:5432",
    }, desired)
    assert.equal(5, #notes)
  end)

  it("with a memo, checks only the keys whose value changed, and never reuses a stale result", function()
    local memo, notes = {}, {}
    local function log(m) notes[#notes + 1] = m end
    local kv = {
      ["a.review.test"] = "10.0.0.1:80",
      ["b.review.test"] = "10.0.0.2:80",
      ["other.org"] = "10.0.0.4:80",
    }
    local first = routetable.routes(kv, domains, policy, log, memo)
    assert.same(routetable.routes(kv, domains, policy), first)
    assert.equal(1, #notes)
    -- The same answer again: the same table, nothing checked (so nothing logged) again.
    assert.same(first, routetable.routes(kv, domains, policy, log, memo))
    assert.equal(1, #notes)
    -- A value that turns hostile is checked and refused; a key that goes leaves route and memo.
    kv["a.review.test"] = "169.254.169.254:80"
    kv["b.review.test"] = nil
    assert.same({ ["a.review.test"] = "!169.254.169.254:80 lies in always-denied 169.254.0.0/16" },
      routetable.routes(kv, domains, policy, log, memo))
    assert.equal(2, #notes)
    assert.is_nil(memo["b.review.test"])
    -- And back: allowed again at once.
    kv["a.review.test"] = "10.0.0.1:80"
    assert.same({ ["a.review.test"] = "10.0.0.1:80" }, routetable.routes(kv, domains, policy, log, memo))
  end)

  it("reads the phase from the plain phase keys and ignores anything else", function()
    local phases = routetable.phases({
      ["deploy-a"] = "Deploying",
      ["deploy-e"] = "Ready\n",
      ["deploy-b"] = "not a phase",
      ["deploy-c"] = "<script>",
      ["deploy-f"] = cjson.encode({ phase = "Ready" }),
      ["Deploy-D"] = "Ready",
      ["deploy-g"] = string.rep("A", 40),
    })
    assert.same({ ["deploy-a"] = "Deploying", ["deploy-e"] = "Ready" }, phases)
  end)

  it("applies only the difference and removes what Consul no longer has", function()
    local store, current = fakes.store(), {}
    assert.equal(2, routetable.apply(store, "r:", current, { a = "1", b = "2" }))
    store.data["m:other"] = "kept"
    assert.equal(0, routetable.apply(store, "r:", current, { a = "1", b = "2" }))
    assert.equal(2, routetable.apply(store, "r:", current, { a = "1", c = "3" }))
    assert.same({ ["r:a"] = "1", ["r:c"] = "3", ["m:other"] = "kept" }, store.data)
    assert.same({ a = "1", c = "3" }, current)
  end)

  it("fails instead of evicting when the dict is full", function()
    local store, current = fakes.store(1), {}
    local changes, err = routetable.apply(store, "r:", current, { a = "1", b = "2" })
    assert.is_nil(changes)
    assert.truthy(err:find("no memory", 1, true))
    assert.truthy(err:find("1 entries not stored", 1, true))
    assert.equal(1, store:count())
  end)

  it("deletes before it adds, so the room of removed routes is there for new ones", function()
    local store, current = fakes.store(2), {}
    assert.equal(2, routetable.apply(store, "r:", current, { a = "1", b = "2" }))
    assert.equal(4, routetable.apply(store, "r:", current, { c = "3", d = "4" }))
    assert.same({ ["r:c"] = "3", ["r:d"] = "4" }, store.data)
  end)

  it("never serves the old value of a route whose new value does not fit", function()
    local store, current = fakes.store(10), {}
    routetable.apply(store, "r:", current, { a = "10.0.0.1:80", b = "10.0.0.2:80" })
    store.refuse["r:a"] = true
    local changes, err = routetable.apply(store, "r:", current, { a = "10.0.0.9:80", b = "10.0.0.2:80" })
    assert.is_nil(changes)
    assert.truthy(err:find("full", 1, true))
    assert.is_nil(store:get("r:a"))
    assert.is_nil(current.a)
    assert.equal("10.0.0.2:80", store:get("r:b"))
    -- Room again: the next answer stores it.
    store.refuse["r:a"] = nil
    assert.equal(1, routetable.apply(store, "r:", current, { a = "10.0.0.9:80", b = "10.0.0.2:80" }))
    assert.equal("10.0.0.9:80", store:get("r:a"))
  end)
end)
