local cjson = require("cjson")
local sleep = require("router.sleep")
local config = require("router.config")

describe("router.sleep", function()
  local function b64(s)
    return "b64(" .. s .. ")"
  end

  it("holds every request of a sleeping or waking app, and only those", function()
    assert.is_true(sleep.dormant("Sleeping"))
    assert.is_true(sleep.dormant("Waking"))
    for _, phase in ipairs({ "Ready", "Deploying", "Provisioning", "Failed", "Deleting", "sleeping", "" }) do
      assert.is_false(sleep.dormant(phase), phase)
    end
  end)

  it("sends the waiting page to browsers and holds everyone else", function()
    assert.is_true(sleep.wants_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
    assert.is_true(sleep.wants_html("TEXT/HTML"))
    assert.is_true(sleep.wants_html({ "application/json", "text/html" }))
    for _, accept in ipairs({ "*/*", "application/json", "text/plain", "" }) do
      assert.is_false(sleep.wants_html(accept), accept)
    end
    assert.is_false(sleep.wants_html(nil))
  end)

  it("reports last requests in transactions of at most 64 keys, whole seconds, sorted", function()
    local latest = {}
    for i = 1, 130 do
      latest[string.format("deploy-%03d", i)] = 1764748800.75 + i
    end
    local bodies = sleep.activity_txns("review-apps/activity/", latest, cjson.encode, b64)
    assert.equal(3, #bodies)
    local first = cjson.decode(bodies[1])
    assert.equal(64, #first)
    assert.equal(2, #cjson.decode(bodies[3]))
    assert.same({ Verb = "set", Key = "review-apps/activity/deploy-001", Value = "b64(1764748801)" }, first[1].KV)
    assert.same({}, sleep.activity_txns("p/", {}, cjson.encode, b64))
  end)

  it("takes its timings from the configuration and refuses nonsense", function()
    local c = assert(config.build({ domains = { "review.test" }, activity_report_seconds = 1, wake_timeout_seconds = 10 }, function() end))
    assert.equal(1, c.activity_report_seconds)
    assert.equal(10, c.wake_timeout_seconds)
    for _, bad in ipairs({ 0, -1, "5" }) do
      local ok, err = config.build({ domains = { "review.test" }, wake_timeout_seconds = bad }, function() end)
      assert.is_nil(ok)
      assert.matches("wake_timeout_seconds must be a positive number", err, 1, true)
    end
  end)

  it("has no sleep in compatibility mode, where no phases are read", function()
    local c = assert(config.build({ domains = { "review.test" }, compat_root_keys = true }, function() end))
    assert.is_nil(c.activity_prefix)
    assert.is_nil(c.wake_prefix)
  end)
end)

describe("router.pages.waking", function()
  local pages = require("router.pages")

  it("names the app, shows progress, refreshes itself and escapes everything", function()
    local html = pages.waking("deploy-x.review.test", "deploy-x", "Sleeping", 2.7)
    assert.matches('<meta http-equiv="refresh" content="1">', html, 1, true)
    assert.matches("Waking up deploy-x", html, 1, true)
    assert.matches("2 s so far", html, 1, true)
    local hostile = pages.waking("<x>", "a\"b", "<script>", 0)
    assert.is_nil(hostile:find("<script>", 1, true))
    assert.is_nil(hostile:find("<x>", 1, true))
  end)
end)
