-- PUT of a full user (what Okta's wizard apps send for every update): a changed title
-- each time, so each request is a real write.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
local ids, names, counter = nil, nil, 0
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args) ids = c.lines("ids.txt"); names = c.lines("usernames.txt"); c.seed(tonumber(tid)) end
function request()
  counter = counter + 1
  local i = math.random(1, #ids)
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"' .. ids[i] .. '","userName":"' .. names[i] ..
    '","name":{"givenName":"Bench","familyName":"User"},"emails":[{"value":"' .. names[i] ..
    '","type":"work","primary":true}],"title":"title-' .. tid .. "-" .. counter .. '","active":true}'
  return wrk.format("PUT", c.base .. "/Users/" .. ids[i], c.headers(), body)
end
