-- Okta's existence check: GET /Users?filter=userName eq "…"&startIndex=1&count=100.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local names
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) names = c.lines("usernames.txt"); c.seed(tonumber(tid)) end
function request()
  local path = c.base .. "/Users?filter=userName%20eq%20%22" .. c.pick(names) .. "%22&startIndex=1&count=100"
  return wrk.format("GET", path, c.headers())
end
