-- The router's own answers. Hosts reaching these pages passed router.host validation, and
-- phases match [A-Za-z]+, but everything is escaped anyway.
local M = {}

local function escape(s)
  return (tostring(s):gsub("[&<>\"']", {
    ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;",
  }))
end

local function page(title, text)
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" .. escape(title)
    .. "</title></head>\n<body><h1>" .. escape(title) .. "</h1>\n<p>" .. text .. "</p></body></html>\n"
end

function M.bad_host(reason)
  return page("400 Bad Request", "This router serves review apps only; the Host header was refused ("
    .. escape(reason) .. ").")
end

function M.unknown_host(host)
  return page("404 No review app", "There is no review app at <code>" .. escape(host) .. "</code>.")
end

-- What an app without a route is doing, by its phase (%s: the phase, %s: the app). Ready without
-- a route is an app whose spec asks for no web process.
local NOT_SERVING = {
  Ready = "runs no web process (phase: <code>%s</code>, web count 0). This page will work once it has one.",
  Failed = "failed to deploy (phase: <code>%s</code>); <code>reviewctl describe %s</code> says why.",
  Deleting = "is being deleted (phase: <code>%s</code>).",
}

function M.not_ready(host, app, phase)
  local text = NOT_SERVING[phase]
    or "is deploying (phase: <code>%s</code>). This page will work once it is Ready."
  return page("503 Review app not ready", "The review app <code>" .. escape(app) .. "</code> for <code>"
    .. escape(host) .. "</code> " .. text:format(escape(phase), escape(app)))
end

-- The waiting page of a sleeping app: shown at once, refreshing itself every second until the
-- app answers in its place.
function M.waking(host, app, phase, waited)
  local progress = phase == "Waking" and "is starting its processes" or "is asleep; waking it"
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"1\">"
    .. "<title>Waking " .. escape(app) .. "</title></head>\n<body><h1>Waking up " .. escape(app) .. "</h1>\n"
    .. "<p>The review app <code>" .. escape(app) .. "</code> for <code>" .. escape(host) .. "</code> "
    .. progress .. " (phase: <code>" .. escape(phase) .. "</code>, " .. string.format("%d", waited)
    .. " s so far). This page reloads itself and becomes the app as soon as it is healthy.</p></body></html>\n"
end

function M.refused(host)
  return page("502 Route refused", "The route for <code>" .. escape(host)
    .. "</code> points at an address this router may not reach.")
end

function M.no_table(host)
  return page("503 Router not ready", "The router has no route table yet and Consul did not answer for <code>"
    .. escape(host) .. "</code>.")
end

M.escape = escape

return M
