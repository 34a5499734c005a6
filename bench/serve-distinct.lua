-- wrk script for bench/serve.sh: every request looks up a different value
-- (0x80000000 + a counter), so the answer cache rarely helps; measures the KB path.
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format("/api/v1/lookup?q=0x%08X", 0x80000000 + (counter * 7919) % 0x10000000))
end
