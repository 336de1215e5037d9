-- POST /{tenant}/Users, every request at one tenant (the first line of tenants.txt): a burst.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local t = require("tenant_common")
local user
local counter, tag = 0, ""
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) user = t.load()[1]; tag = tid .. "-" .. tostring(os.time()) end
function request()
  counter = counter + 1
  local name = "burst-" .. tag .. "-" .. counter .. "@bench.example"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name .. '","active":true}'
  return wrk.format("POST", t.base(user) .. "/Users", t.headers(user), body)
end
