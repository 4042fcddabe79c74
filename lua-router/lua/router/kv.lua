-- Decoding of Consul KV list replies (GET /v1/kv/<prefix>?recurse). Pure: the JSON and base64
-- decoders are passed in, so busted runs it without nginx.
local M = {}

-- Returns { [suffix] = value } for the keys directly under prefix (nested keys are not ours),
-- or nil and a reason when the body is not a KV list.
function M.decode_list(body, prefix, json_decode, b64_decode)
  local ok, list = pcall(json_decode, body or "")
  if not ok or type(list) ~= "table" then
    return nil, "Consul reply is not a JSON list"
  end
  local out = {}
  for _, entry in ipairs(list) do
    local key = type(entry) == "table" and entry.Key
    if type(key) == "string" and key:sub(1, #prefix) == prefix then
      local suffix = key:sub(#prefix + 1)
      if suffix ~= "" and not suffix:find("/", 1, true) then
        -- A key created without a value (consul kv put k) has Value null.
        local value = type(entry.Value) == "string" and b64_decode(entry.Value) or ""
        out[suffix] = value or ""
      end
    end
  end
  return out
end

return M
