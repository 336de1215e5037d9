-- Shared by the wrk scripts: the API token, the base path, and the ids and userNames
-- of the seeded users (files written by seed.py), loaded once per wrk thread.
local M = {}

M.token = os.getenv("BENCH_TOKEN") or "bench-token-0123456789abcdef"
M.base = os.getenv("BENCH_BASE_PATH") or "/scim/v2"
M.data = os.getenv("BENCH_DATA") or "."

function M.lines(name)
  local out = {}
  local file = io.open(M.data .. "/" .. name, "r")
  if file == nil then return out end
  for line in file:lines() do out[#out + 1] = line end
  file:close()
  return out
end

function M.headers(extra)
  local h = { ["Authorization"] = "Bearer " .. M.token, ["Content-Type"] = "application/scim+json" }
  if extra then for k, v in pairs(extra) do h[k] = v end end
  return h
end

function M.pick(list)
  return list[math.random(1, #list)]
end

-- A different random sequence per wrk thread.
function M.seed(thread_id)
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919 + math.floor(os.clock() * 1000000))
end

return M
