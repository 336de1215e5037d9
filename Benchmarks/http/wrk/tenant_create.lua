-- POST /{tenant}/Users at a random tenant (unique userName per thread and run).
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local t = require("tenant_common")
local users
local counter, tag = 0, ""
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) users = t.load(); tag = tid .. "-" .. tostring(os.time()); c.seed(tonumber(tid)) end
function request()
  counter = counter + 1
  local user = c.pick(users)
  local name = "new-" .. tag .. "-" .. counter .. "@bench.example"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
    '","name":{"givenName":"New","familyName":"User"},"emails":[{"value":"' .. name ..
    '","type":"work","primary":true}],"active":true}'
  return wrk.format("POST", t.base(user) .. "/Users", t.headers(user), body)
end
