-- One-member add/remove PATCHes on the big group (Entra sends one PATCH per membership
-- change): users outside the group are added, then removed again, alternately.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local outside, group, added = nil, nil, {}
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) outside = c.lines("outside.txt"); group = c.lines("group.txt")[1]; c.seed(tonumber(tid)) end
function request()
  local id = c.pick(outside)
  local body
  if added[id] then
    added[id] = nil
    body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \\"' .. id .. '\\"]"}]}'
  else
    added[id] = true
    body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"' .. id .. '"}]}]}'
  end
  return wrk.format("PATCH", c.base .. "/Groups/" .. group, c.headers(), body)
end
