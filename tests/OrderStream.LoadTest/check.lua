-- wrk script for POST /authorization/check (issue #3): random users of the seeded tenant, a few features, the admin's token.
-- Each thread builds its requests once, in init(), as wrk's scripting guide advises for fast servers: building each one in
-- request() spent the load generator's share of the same two cores on Lua string work (ADR 0018). Each thread draws its
-- own 50,000 (user, feature) pairs, from its own seed.
dofile(os.getenv("USERS_LUA"))
local token = os.getenv("TOKEN")
local features = { "can-move-stock", "can-manage-sales-orders", "manage-order-discounts", "can-see-item-buy-price", "can-finalise-stocktake" }
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
local requests, count, at = {}, 50000, 0
init = function()
  math.randomseed(seed)
  for k = 1, count do
    local body = '{"userId":"' .. users[math.random(#users)] .. '","feature":"' .. features[math.random(#features)] .. '","minQualifier":1}'
    requests[k] = wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
  end
end
request = function()
  at = at % count + 1
  return requests[at]
end
