-- bin/render-conf puts environment values into nginx.conf: hostile ones must stop it, never end up
-- as directives.
describe("bin/render-conf", function()
  local function render(vars)
    local cmd = {}
    for k, v in pairs(vars) do
      cmd[#cmd + 1] = k .. "='" .. v:gsub("'", "'\\''") .. "'"
    end
    local base = "env -i PATH=\"$PATH\" PWD=\"$PWD\" ROUTER_CONFIG=/nonexistent ROUTER_LISTEN=127.0.0.1:1"
      .. " ROUTER_STATUS_LISTEN=127.0.0.1:2 "
    local p = io.popen(base .. table.concat(cmd, " ") .. " bin/render-conf conf/nginx.conf.template 2>&1; echo \"exit=$?\"")
    local out = p:read("*a")
    p:close()
    return out, tonumber(out:match("exit=(%d+)%s*$"))
  end

  it("writes CONSUL_CACERT as the trusted CAs of the watcher", function()
    local out, code = render({ CONSUL_CACERT = "/etc/consul.d/ca.pem" })
    assert.equal(0, code)
    assert.truthy(out:find("lua_ssl_trusted_certificate /etc/consul.d/ca.pem;", 1, true))
  end)

  it("refuses a CONSUL_CACERT that would add directives", function()
    for _, hostile in ipairs({ "/x.pem; include /etc/passwd", "/x.pem\nload_module /tmp/evil.so", "/x {" }) do
      local out, code = render({ CONSUL_CACERT = hostile })
      assert.equal(2, code, hostile)
      assert.falsy(out:find("lua_ssl_trusted_certificate", 1, true), hostile)
      assert.truthy(out:find("not a plain file path", 1, true), hostile)
    end
  end)
end)
