-- A small HTTP/1.1 client over ngx cosockets for Consul's KV API. lua-resty-http is not
-- packaged in Debian, and ngx.location.capture is refused inside timers, so the watcher
-- needs its own. Non-blocking for the nginx worker; usable in timers and in access_by_lua.
local M = {}

local MAX_BODY = 32 * 1024 * 1024

local HINT = " (check CONSUL_CACERT, CONSUL_TLS_SERVER_NAME, CONSUL_CLIENT_CERT)"

-- The client certificate, parsed once per worker from the PEM text the master read.
local client_cert, client_key

-- TLS on a new connection (a kept-alive one is already past it): the client certificate for
-- mutual TLS, then the handshake, which checks the chain against lua_ssl_trusted_certificate
-- (CONSUL_CACERT) and the certificate's name against tls.server_name, also sent as SNI.
local function handshake(sock, tls)
  if tls.client_cert_pem then
    if not client_cert then
      local ssl = require("ngx.ssl")
      local cert, cerr = ssl.parse_pem_cert(tls.client_cert_pem)
      local key, kerr = ssl.parse_pem_priv_key(tls.client_key_pem)
      if not cert or not key then
        return nil, "client certificate or key unusable: " .. tostring(cerr or kerr)
      end
      client_cert, client_key = cert, key
    end
    local ok, err = sock:setclientcert(client_cert, client_key)
    if not ok then
      return nil, "client certificate: " .. tostring(err)
    end
  end
  -- lua-resty-core 0.1.25 (Debian 12) raises an assertion instead of returning the error when a
  -- handshake that completed at once fails verification, and without a session asked for it would
  -- even report success; so a session is asked for and the assertion caught.
  local called, session, err = pcall(sock.sslhandshake, sock, nil, tls.server_name, tls.verify)
  if not called then
    return nil, "handshake failed (certificate not verified?)" .. HINT
  end
  if not session then
    return nil, tostring(err) .. HINT
  end
  return true
end

-- conf: { host, port, addr, token, connect_timeout_ms }. path includes the query string.
-- Returns { status, index, body } or nil and an error (never containing the token).
function M.get(conf, path, read_timeout_ms)
  return M.request(conf, "GET", path, nil, read_timeout_ms)
end

-- The same for any method; body (a string) is sent with its Content-Length.
function M.request(conf, method, path, body, read_timeout_ms)
  local sock = ngx.socket.tcp()
  sock:settimeouts(conf.connect_timeout_ms or 1000, conf.connect_timeout_ms or 1000, read_timeout_ms)
  local ok, err = sock:connect(conf.host, conf.port)
  if not ok then
    return nil, "connect to Consul " .. conf.addr .. ": " .. tostring(err)
  end
  if conf.tls and sock:getreusedtimes() == 0 then
    ok, err = handshake(sock, conf.tls)
    if not ok then
      sock:close()
      return nil, "TLS with Consul " .. conf.addr .. ": " .. tostring(err)
    end
  end
  local req = {
    method, " ", path, " HTTP/1.1\r\nHost: ", conf.addr,
    "\r\nAccept: application/json\r\nUser-Agent: review-apps-lua-router\r\n",
  }
  if body then
    req[#req + 1] = "Content-Type: application/json\r\nContent-Length: " .. #body .. "\r\n"
  end
  if conf.token then
    -- The header, not ?token=: query strings end up in access logs.
    req[#req + 1] = "X-Consul-Token: " .. conf.token .. "\r\n"
  end
  req[#req + 1] = "\r\n"
  if body then
    req[#req + 1] = body
  end
  local function fail(what, e)
    sock:close()
    return nil, what .. " from Consul " .. conf.addr .. ": " .. tostring(e)
  end
  local sent, serr = sock:send(req)
  if not sent then
    return fail("send", serr)
  end
  local line, lerr = sock:receive("*l")
  if not line then
    return fail("read status line", lerr)
  end
  local status = tonumber(line:match("^HTTP/1%.%d (%d%d%d)"))
  if not status then
    return fail("parse status line", line:sub(1, 40))
  end
  local headers = {}
  while true do
    local h, herr = sock:receive("*l")
    if not h then
      return fail("read headers", herr)
    end
    if h == "" then
      break
    end
    local name, value = h:match("^([^:]+):%s*(.-)%s*$")
    if name then
      headers[name:lower()] = value
    end
  end
  local body, keep = "", true
  local te = headers["transfer-encoding"]
  if te and te:lower():find("chunked", 1, true) then
    local parts, total = {}, 0
    while true do
      local size_line, cerr = sock:receive("*l")
      local size = size_line and tonumber(size_line:match("^%x+"), 16)
      if not size then
        return fail("read chunk size", cerr or size_line)
      end
      if size == 0 then
        repeat
          local trailer = sock:receive("*l")
        until trailer == nil or trailer == ""
        break
      end
      total = total + size
      if total > MAX_BODY then
        return fail("read body", "too large")
      end
      local chunk, derr = sock:receive(size)
      if not chunk then
        return fail("read chunk", derr)
      end
      parts[#parts + 1] = chunk
      sock:receive("*l")
    end
    body = table.concat(parts)
  elseif headers["content-length"] then
    local n = tonumber(headers["content-length"])
    if not n or n > MAX_BODY then
      return fail("read body", "bad Content-Length")
    end
    if n > 0 then
      local berr
      body, berr = sock:receive(n)
      if not body then
        return fail("read body", berr)
      end
    end
  else
    local berr
    body, berr = sock:receive("*a")
    if not body then
      return fail("read body", berr)
    end
    keep = false
  end
  local conn = headers["connection"]
  if keep and not (conn and conn:lower() == "close") then
    sock:setkeepalive(60000, 8)
  else
    sock:close()
  end
  return { status = status, index = headers["x-consul-index"], body = body }
end

return M
