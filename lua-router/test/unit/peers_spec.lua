local cidr = require("router.cidr")
local peers = require("router.peers")

describe("router.cidr", function()
  it("parses dotted quads and refuses anything else", function()
    assert.equal(167772161, cidr.parse_ip("10.0.0.1"))
    assert.equal(4294967295, cidr.parse_ip("255.255.255.255"))
    for _, bad in ipairs({ "256.0.0.1", "10.0.0", "010.0.0.1", "a.b.c.d", "1.2.3.4.5", "::1", "" }) do
      assert.is_nil(cidr.parse_ip(bad), bad)
    end
  end)

  it("computes ranges and refuses host bits or bad prefixes", function()
    local r = assert(cidr.parse_cidr("10.1.0.0/16"))
    assert.is_true(cidr.contains(r, cidr.parse_ip("10.1.255.255")))
    assert.is_false(cidr.contains(r, cidr.parse_ip("10.2.0.0")))
    assert.is_false(cidr.contains(r, cidr.parse_ip("10.0.255.255")))
    assert.is_nil(cidr.parse_cidr("10.1.0.1/16"))
    assert.is_nil(cidr.parse_cidr("10.0.0.0/33"))
    local single = assert(cidr.parse_cidr("192.168.1.7"))
    assert.equal(single.first, single.last)
    assert.is_nil(cidr.compile({ "10.0.0.0/8", "oops" }))
  end)
end)

describe("router.peers", function()
  local policy = assert(peers.policy({
    allowed_cidrs = { "10.0.0.0/8", "169.254.0.0/16" },
    allow_loopback = false,
    self_addresses = { "10.0.0.9:80" },
  }))

  it("parses several upstreams, trims blanks and drops duplicates", function()
    local list, refused = peers.parse(" 10.0.0.1:8080 ,10.0.0.2:9090,10.0.0.1:8080,", policy)
    assert.same({ { ip = "10.0.0.1", port = 8080 }, { ip = "10.0.0.2", port = 9090 } }, list)
    assert.same({}, refused)
    assert.equal("10.0.0.1:8080,10.0.0.2:9090", peers.encode(list, refused))
    assert.same(list, peers.decode(peers.encode(list, refused)))
  end)

  it("refuses metadata, loopback, the router itself and addresses outside the CIDRs", function()
    local list, refused = peers.parse(
      "169.254.169.254:80,127.0.0.1:8080,10.0.0.9:80,192.168.1.1:80,10.0.0.3:80", policy)
    assert.same({ { ip = "10.0.0.3", port = 80 } }, list)
    assert.equal(4, #refused)
    assert.truthy(refused[1]:find("always-denied 169.254.0.0/16", 1, true))
    assert.truthy(refused[2]:find("loopback", 1, true))
    assert.truthy(refused[3]:find("router itself", 1, true))
    assert.truthy(refused[4]:find("outside the allowed CIDRs", 1, true))
  end)

  it("stores a route whose every address is refused as a refusal", function()
    local list, refused = peers.parse("169.254.169.254:80", policy)
    assert.equal("!", peers.encode(list, refused):sub(1, 1))
  end)

  it("allows loopback only when told to, and still never the router itself", function()
    local lo = assert(peers.policy({ allowed_cidrs = {}, allow_loopback = true, self_addresses = { "127.0.0.1:8000" } }))
    assert.equal(1, #peers.parse("127.0.0.1:8001", lo))
    assert.equal(0, #peers.parse("127.0.0.1:8000", lo))
  end)

  it("rejects malformed values: names, IPv6, ports out of range, nothing at all", function()
    for _, bad in ipairs({ "", " , ", "app.internal:80", "[::1]:80", "10.0.0.1", "10.0.0.1:0", "10.0.0.1:70000", "10.0.0.1:80/x" }) do
      local list, why = peers.parse(bad, policy)
      assert.is_nil(list, bad)
      assert.is_string(why)
    end
    assert.is_nil(peers.parse(nil, policy))
  end)

  it("refuses a policy with a malformed self address", function()
    assert.is_nil(peers.policy({ self_addresses = { "localhost:80" } }))
  end)
end)
