-- Shared by the tenant wrk scripts: one line per seeded user of a server of many
-- organisations, "tenant token id userName" (written by bench.py), loaded once per thread.
local c = require("common")
local M = {}

function M.load()
  local out = {}
  for _, line in ipairs(c.lines("tenants.txt")) do
    local tenant, token, id, name = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    if tenant then out[#out + 1] = { tenant = tenant, token = token, id = id, name = name } end
  end
  return out
end

function M.headers(user)
  return { ["Authorization"] = "Bearer " .. user.token, ["Content-Type"] = "application/scim+json" }
end

function M.base(user)
  return c.base .. "/" .. user.tenant
end

return M
