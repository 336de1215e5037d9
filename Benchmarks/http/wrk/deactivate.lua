-- Okta's deactivate: PATCH {"op":"replace","value":{"active":false}} (and reactivate, so
-- every request changes the user). Each thread works on its own users.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local ids, state = nil, {}
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) ids = c.lines("ids.txt"); c.seed(tonumber(tid)) end
function request()
  local id = c.pick(ids)
  local active = state[id] == false
  state[id] = active
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":' ..
    tostring(active) .. '}}]}'
  return wrk.format("PATCH", c.base .. "/Users/" .. id, c.headers(), body)
end
