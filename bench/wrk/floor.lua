-- wrk script: one POST to bench/floor-server.ts (the durable HTTP floor).
request = function()
  return wrk.format("POST", "/", {["Content-Type"]="application/json"}, '{"a":1}')
end
