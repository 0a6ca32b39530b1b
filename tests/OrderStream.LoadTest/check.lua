-- wrk script for POST /authorization/check (issue #3): random users of the seeded tenant, a few features, the admin's token.
dofile(os.getenv("USERS_LUA"))
local token = os.getenv("TOKEN")
local features = { "can-move-stock", "can-manage-sales-orders", "manage-order-discounts", "can-see-item-buy-price", "can-finalise-stocktake" }
request = function()
  local body = '{"userId":"' .. users[math.random(#users)] .. '","feature":"' .. features[math.random(#features)] .. '","minQualifier":1}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
