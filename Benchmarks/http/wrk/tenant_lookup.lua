-- Okta's existence check at a random tenant: GET /{tenant}/Users?filter=userName eq "…".
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local t = require("tenant_common")
local users
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) users = t.load(); c.seed(tonumber(tid)) end
function request()
  local user = c.pick(users)
  local path = t.base(user) .. "/Users?filter=userName%20eq%20%22" .. user.name .. "%22&startIndex=1&count=100"
  return wrk.format("GET", path, t.headers(user))
end
