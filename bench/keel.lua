-- wrk script for Keel. Chooses the request by the MODE environment variable:
--   get     GET  /api/v1/contacts/{random id}
--   list    GET  /api/v1/contacts?limit=50
--   search  GET  /api/v1/contacts?q={random name or phone tail}&limit=50
--   create  POST /api/v1/contacts
--   update  PATCH /api/v1/contacts/{random id}
-- TOKEN and IDS (a file of ids, one per line) come from the environment.
local mode = os.getenv("MODE") or "get"
local token = os.getenv("TOKEN")
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local searches = { "%E7%8E%8B", "%E5%B0%8F%E6%98%8E", "alice", "person12", "5678", "smith", "%E9%87%87%E8%B4%AD" }
local n = 0

wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

request = function()
  n = n + 1
  local id = ids[math.random(#ids)]
  if mode == "get" then
    return wrk.format("GET", "/api/v1/contacts/" .. id)
  elseif mode == "list" then
    return wrk.format("GET", "/api/v1/contacts?limit=50")
  elseif mode == "search" then
    return wrk.format("GET", "/api/v1/contacts?limit=50&q=" .. searches[math.random(#searches)])
  elseif mode == "create" then
    return wrk.format("POST", "/api/v1/contacts", nil,
      '{"first_name":"Bench","last_name":"压测' .. n .. '","emails":["bench' .. n .. '@example.com"]}')
  else
    return wrk.format("PATCH", "/api/v1/contacts/" .. id, nil, '{"title":"Updated ' .. n .. '"}')
  end
end

local errors = 0
response = function(status, headers, body)
  if status >= 300 then
    errors = errors + 1
    if errors < 3 then print("unexpected status " .. status .. ": " .. body) end
  end
end
