-- The HTTP floor: GET /ServiceProviderConfig with the token, through every middleware, but
-- no file read and no JSON parse. What the server costs per request before any resource
-- work; compared with nginx it shows how much of a read's gap is the HTTP stack itself.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA") or ".") .. "/?.lua"
local c = require("common")
function request() return wrk.format("GET", c.base .. "/ServiceProviderConfig", c.headers()) end
