-- GET /{tenant}/Users/{id} at a random seeded user of a random tenant, with its token.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local t = require("tenant_common")
local users
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) users = t.load(); c.seed(tonumber(tid)) end
function request()
  local user = c.pick(users)
  return wrk.format("GET", t.base(user) .. "/Users/" .. user.id, t.headers(user))
end
