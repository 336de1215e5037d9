-- A single-attribute PATCH of one user (the baseline membership PATCHes are compared with).
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local ids, counter = nil, 0
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) ids = c.lines("ids.txt"); c.seed(tonumber(tid)) end
function request()
  counter = counter + 1
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"d-' ..
    tid .. "-" .. counter .. '"}]}'
  return wrk.format("PATCH", c.base .. "/Users/" .. c.pick(ids), c.headers(), body)
end
