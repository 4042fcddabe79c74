local cjson = require("cjson")
local config = require("router.config")
local snapshot = require("router.snapshot")

describe("router.config", function()
  -- A temporary file holding text; the caller removes it.
  local function tmpfile(text)
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
    return path
  end

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
    assert.equal("review-apps/activity/", c.activity_prefix)
    assert.equal("review-apps/wake/", c.wake_prefix)
    assert.equal(5, c.activity_report_seconds)
    assert.equal(30, c.wake_timeout_seconds)
    assert.equal(10000, c.host_records_max)
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

  it("takes CONSUL_HTTP_ADDR over the file and speaks TLS for https:// or CONSUL_HTTP_SSL", function()
    local pem = tmpfile("-----BEGIN CERTIFICATE-----\n")
    local c = assert(config.build({ domains = { "r.test" }, consul = "127.0.0.1:8500" }, env({
      CONSUL_HTTP_ADDR = "https://consul.internal:8501",
      CONSUL_TLS_SERVER_NAME = "server.dc1.consul",
      CONSUL_CLIENT_CERT = pem,
      CONSUL_CLIENT_KEY = pem,
    })))
    assert.equal("consul.internal", c.consul.host)
    assert.equal(8501, c.consul.port)
    assert.equal("server.dc1.consul", c.consul.tls.server_name)
    assert.is_true(c.consul.tls.verify)
    assert.equal("-----BEGIN CERTIFICATE-----\n", c.consul.tls.client_cert_pem)

    local ssl = assert(config.build({ domains = { "r.test" }, consul = "10.0.0.2:8501" }, env({ CONSUL_HTTP_SSL = "true", CONSUL_HTTP_SSL_VERIFY = "false" })))
    assert.equal("10.0.0.2", ssl.consul.tls.server_name)
    assert.is_false(ssl.consul.tls.verify)
    assert.is_nil(assert(config.build({ domains = { "r.test" }, consul = "http://10.0.0.2:8500" }, env({}))).consul.tls)
    os.remove(pem)
  end)

  it("takes the TLS settings from the file too, the variables winning", function()
    local c = assert(config.build({
      domains = { "r.test" },
      consul = "https://10.0.0.2:8501",
      consul_tls_server_name = "server.dc1.consul",
      consul_ssl_verify = false,
      consul_cacert = "/etc/consul.d/ca.pem",
    }, env({})))
    assert.equal("server.dc1.consul", c.consul.tls.server_name)
    assert.is_false(c.consul.tls.verify)
    local v = assert(config.build({
      domains = { "r.test" },
      consul = "https://10.0.0.2:8501",
      consul_tls_server_name = "server.dc1.consul",
    }, env({ CONSUL_TLS_SERVER_NAME = "consul.internal" })))
    assert.equal("consul.internal", v.consul.tls.server_name)
    assert.is_true(v.consul.tls.verify)
    local nokey, err = config.build({ domains = { "r.test" }, consul = "https://c:8501", consul_client_cert = "/x.pem" }, env({}))
    assert.is_nil(nokey)
    assert.truthy(err:find("go together", 1, true))
  end)

  it("reads the token from CONSUL_HTTP_TOKEN_FILE when the variable is not set", function()
    local file = tmpfile("  t0ken-from-file\n")
    local c = assert(config.build({ domains = { "r.test" } }, env({ CONSUL_HTTP_TOKEN_FILE = file })))
    assert.equal("t0ken-from-file", c.consul.token)
    os.remove(file)
    local none, err = config.build({ domains = { "r.test" } }, env({ CONSUL_HTTP_TOKEN_FILE = file }))
    assert.is_nil(none)
    assert.truthy(err:find("CONSUL_HTTP_TOKEN_FILE: cannot read", 1, true))
  end)

  it("refuses TLS settings that cannot work, naming the variable", function()
    for vars, expected in pairs({
      [{ CONSUL_HTTP_ADDR = "https://c:8501", CONSUL_CLIENT_CERT = "/x.pem" }] = "CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY go together",
      [{ CONSUL_HTTP_ADDR = "https://c:8501", CONSUL_CLIENT_CERT = "/nope.pem", CONSUL_CLIENT_KEY = "/nope.key" }] = "CONSUL_CLIENT_CERT: cannot read /nope.pem",
      [{ CONSUL_HTTP_ADDR = "https://c:8501", CONSUL_HTTP_SSL_VERIFY = "maybe" }] = "CONSUL_HTTP_SSL_VERIFY must be true or false",
      [{ CONSUL_HTTP_ADDR = "ftp://c:21" }] = "consul must be host:port, http://host:port or https://host:port",
    }) do
      local c, err = config.build({ domains = { "r.test" } }, env(vars))
      assert.is_nil(c)
      assert.truthy(err:find(expected, 1, true), err)
    end
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
    for _, bad in ipairs({ 0, -5, "100" }) do
      local c, err = config.build({ domains = { "r.test" }, host_records_max = bad }, env({}))
      assert.is_nil(c)
      assert.matches("host_records_max must be a positive number", err, 1, true)
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
