local host = require("router.host")

describe("router.host.normalize", function()
  local domains = { "review.example.com", "apps.test" }

  it("lower-cases, strips the port and a trailing dot, and names the app", function()
    assert.same({ "deploy-foo.review.example.com", "deploy-foo" },
      { host.normalize("Deploy-Foo.Review.Example.COM:8080", domains) })
    assert.same({ "x.apps.test", "x" }, { host.normalize("x.apps.test.", domains) })
  end)

  it("takes the label directly left of the domain as the app name", function()
    assert.same({ "api.deploy-foo.apps.test", "deploy-foo" },
      { host.normalize("api.deploy-foo.apps.test", domains) })
  end)

  local refused = {
    ["a?recurse"] = "characters",
    ["a?recurse.apps.test"] = "characters",
    ["../x"] = "characters",
    ["x/../y.apps.test"] = "characters",
    ["%2e%2e.apps.test"] = "characters",
    [""] = "missing",
    ["127.0.0.1"] = "IP literal",
    ["127.0.0.1:80"] = "IP literal",
    ["[::1]:80"] = "IP literal",
    ["\195\188.apps.test"] = "characters",
    ["xn--tda.other.org"] = "not under",
    ["apps.test"] = "not under",
    ["evilapps.test"] = "not under",
    ["-x.apps.test"] = "characters",
    ["a..b.apps.test"] = "characters",
    ["a.apps.test:99999"] = "port",
    ["a.apps.test:80:80"] = "port",
    ["a.apps.test:"] = "port",
    ["a b.apps.test"] = "characters",
  }
  for raw, why in pairs(refused) do
    it("refuses " .. string.format("%q", raw), function()
      local h, reason = host.normalize(raw, domains)
      assert.is_nil(h)
      assert.truthy(reason:find(why, 1, true), reason)
    end)
  end

  it("refuses overlong names and labels", function()
    assert.is_nil(host.normalize(string.rep("a", 64) .. ".apps.test", domains))
    -- 256 characters: inside the header bound, over the 253 of a DNS name.
    local long = "ab." .. string.rep(string.rep("a", 60) .. ".", 4) .. "apps.test"
    assert.equal(256, #long)
    assert.is_nil(host.normalize(long, domains))
    assert.is_nil(host.normalize(string.rep("a", 8000), domains))
    assert.is_nil(host.normalize(nil, domains))
  end)

  it("accepts a label of exactly 63 characters", function()
    local label = string.rep("a", 63)
    assert.equal(label, select(2, host.normalize(label .. ".apps.test", domains)))
  end)
end)

describe("router.host.normalize_domain", function()
  it("normalises case and the trailing dot and refuses junk", function()
    assert.equal("review.example.com", host.normalize_domain("Review.Example.com."))
    assert.is_nil(host.normalize_domain("exa mple.com"))
    assert.is_nil(host.normalize_domain(""))
    assert.is_nil(host.normalize_domain(42))
  end)
end)
