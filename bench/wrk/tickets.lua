-- wrk script: POST /api/v1/tickets as a kiosk (KIOSK=<token> in the environment).
local services = {"etat-civil", "passeports", "titres-sejour", "visas"}
local n = 0
request = function()
  n = n + 1
  local body = '{"serviceId":"' .. services[(n % 4) + 1] .. '"}'
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. os.getenv("KIOSK")
  headers["Idempotency-Key"] = "wrk-" .. os.time() .. "-" .. n .. "-" .. math.random(1, 1e9)
  return wrk.format("POST", "/api/v1/tickets", headers, body)
end
