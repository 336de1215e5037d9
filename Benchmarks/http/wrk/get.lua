-- GET /Users/{id} at a random seeded user.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local ids
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) ids = c.lines("ids.txt"); c.seed(tonumber(tid)) end
function request() return wrk.format("GET", c.base .. "/Users/" .. c.pick(ids), c.headers()) end
