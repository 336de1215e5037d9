-- A page of 100 at a random startIndex: GET /Users?startIndex=N&count=100.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local total = tonumber(os.getenv("BENCH_USERS") or "100000")
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) c.seed(tonumber(tid)) end
function request()
  return wrk.format("GET", c.base .. "/Users?startIndex=" .. math.random(1, math.max(1, total - 100)) .. "&count=100", c.headers())
end
