local cjson = require("cjson")
local config = require("router.config")
local snapshot = require("router.snapshot")

describe("router.config", function()
  local function env(vars)
    return function(name)
      return vars[name]
    end
  end

  it("fills defaults, normalises domains and reads the token from the environment", function()
    local c = assert(config.build({ domains = { "Review.Test." }, consul = "10.0.0.2:8500" }, env({ CONSUL_HTTP_TOKEN = "s3cr3t" })))
    assert.same({ "review.test" }, c.domains)
    assert.equal("review-apps/routes/", c.route_prefix)
    assert.equal("review-apps/phases/", c.status_prefix)
    assert.same({ host = "10.0.0.2", port = 8500, addr = "10.0.0.2:8500", token = "s3cr3t", connect_timeout_ms = 1000 }, c.consul)
  end)

  it("reads root-level <host> keys in compatibility mode and has no status watch there", function()
    local c = assert(config.build({ domains = { "review.test" }, compat_root_keys = true }, env({})))
    assert.equal("", c.route_prefix)
    assert.is_nil(c.status_prefix)
    assert.is_nil(c.consul.token)
  end)

  it("adds the trailing slash to a custom prefix", function()
    assert.equal("ra/routes/", config.build({ domains = { "r.test" }, prefix = "ra" }, env({})).route_prefix)
  end)

  it("refuses mistakes instead of starting with them", function()
    for _, raw in ipairs({
      { domains = {} },
      { domains = { "r.test" }, prefix = "a?recurse" },
      { domains = { "r.test" }, prefix = "../x/" },
      { domains = { "r.test" }, allowed_cidrs = { "10.0.0.0/33" } },
      { domains = { "r.test" }, consul = "localhost" },
      { domains = { "r.test" }, typo_key = true },
      { domains = { "r.test" }, watch_wait_seconds = 0 },
      { domains = { "r test" } },
    }) do
      local c, err = config.build(raw, env({}))
      assert.is_nil(c, cjson.encode(raw))
      assert.is_string(err)
    end
  end)
end)

describe("router.snapshot", function()
  it("round-trips routes, phases and the index through a file", function()
    local path = os.tmpname()
    local text = snapshot.encode(cjson.encode, { ["a.review.test"] = "10.0.0.1:80" }, { a = "Ready" }, 42, 1)
    assert.truthy(snapshot.write(path, text))
    local snap = assert(snapshot.decode(cjson.decode, snapshot.read(path)))
    os.remove(path)
    assert.same({ routes = { ["a.review.test"] = "10.0.0.1:80" }, phases = { a = "Ready" }, index = 42 }, snap)
  end)

  it("refuses files that are not snapshots and drops non-string entries", function()
    assert.is_nil(snapshot.decode(cjson.decode, nil))
    assert.is_nil(snapshot.decode(cjson.decode, "{\"version\":2}"))
    local snap = snapshot.decode(cjson.decode, cjson.encode({ version = 1, routes = { a = 1, b = "x" } }))
    assert.same({ b = "x" }, snap.routes)
  end)
end)
