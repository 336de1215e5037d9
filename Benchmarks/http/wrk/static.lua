-- nginx's read ceiling: the same user files, served from disk (Users/ab/cd/<id>.json).
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local ids
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) ids = c.lines("ids.txt"); c.seed(tonumber(tid)) end
function request()
  local id = c.pick(ids)
  return wrk.format("GET", "/Users/" .. id:sub(1, 2) .. "/" .. id:sub(3, 4) .. "/" .. id .. ".json")
end
