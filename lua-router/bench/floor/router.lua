-- (F) The floor of any router built on lua-nginx-module: loaded in place of the router by the
-- router's own nginx.conf.template, so that F is C's nginx configuration with the same two Lua
-- phases per request, entered and left with nothing done. The access phase returns at once; the
-- balancer sends every request to one fixed peer (bench/run.sh writes it as "peer" into the
-- configuration). What C costs beyond F is the routing itself.
local balancer = require("ngx.balancer")
local cjson = require("cjson.safe")

local M = {}
local ip, port

function M.configure(path)
  local f = assert(io.open(path, "r"))
  local peer = assert(cjson.decode(f:read("*a")), "floor: configuration is no JSON").peer
  f:close()
  ip, port = assert(peer, "floor: no peer"):match("^(.+):(%d+)$")
  port = tonumber(port)
end

function M.start() end

function M.access() end

function M.balance()
  balancer.set_current_peer(ip, port)
end

function M.upstream_failed()
  return ngx.exit(ngx.status)
end

function M.status_page()
  ngx.say("{}")
end

M.metrics_page = M.status_page

return M
