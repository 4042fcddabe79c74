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

  -- Each hostile value stops the rendering (exit 2) with the rule named, and no directive is written.
  local function assert_refused(var, hostiles, directive, rule)
    for _, hostile in ipairs(hostiles) do
      local out, code = render({ [var] = hostile })
      assert.equal(2, code, hostile)
      assert.falsy(out:find(directive, 1, true), hostile)
      assert.truthy(out:find(rule, 1, true), hostile)
    end
  end

  it("writes CONSUL_CACERT as the trusted CAs of the watcher", function()
    local out, code = render({ CONSUL_CACERT = "/etc/consul.d/ca.pem" })
    assert.equal(0, code)
    assert.truthy(out:find("lua_ssl_trusted_certificate /etc/consul.d/ca.pem;", 1, true))
  end)

  it("refuses a CONSUL_CACERT that would add directives", function()
    assert_refused("CONSUL_CACERT", { "/x.pem; include /etc/passwd", "/x.pem\nload_module /tmp/evil.so", "/x {" },
      "lua_ssl_trusted_certificate", "not a plain file path")
  end)

  it("binds each worker to a core by default, and takes masks or off", function()
    local out, code = render({})
    assert.equal(0, code)
    assert.truthy(out:find("\nworker_cpu_affinity auto;\n", 1, true))
    out, code = render({ ROUTER_CPU_AFFINITY = "01 10" })
    assert.equal(0, code)
    assert.truthy(out:find("\nworker_cpu_affinity 01 10;\n", 1, true))
    out, code = render({ ROUTER_CPU_AFFINITY = "off" })
    assert.equal(0, code)
    assert.falsy(out:find("\nworker_cpu_affinity", 1, true))
  end)

  it("refuses a ROUTER_CPU_AFFINITY that is no mask, naming the variable and the rule", function()
    assert_refused("ROUTER_CPU_AFFINITY", { "auto; load_module /tmp/evil.so", "01\nload_module /tmp/evil.so", "2", "on", "auto 2" },
      "worker_cpu_affinity", "ROUTER_CPU_AFFINITY: auto, off or CPU masks")
  end)
end)
