-- wrk script: identify for a mix of returning users, counting allowed answers per thread so the
-- benchmark can compare them with the stored counters afterwards (zero over-grants, zero lost counts).
local users = tonumber(os.getenv("BENCH_USERS") or "1000")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  allowed = 0
  denied = 0
  other = 0
  math.randomseed(id * 7919 + os.time())
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Tenant-ID"] = "bench"
end

function request()
  local user = math.random(1, users)
  return wrk.format(nil, "/api/v1/users/identify", nil,
    '{"extension_id":"bench-' .. user .. '","action_type":"text_rewrite"}')
end

function response(status, headers, body)
  if status ~= 200 then
    other = other + 1
  elseif string.find(body, '"can_use":true', 1, true) then
    allowed = allowed + 1
  else
    denied = denied + 1
  end
end

function done(summary, latency, requests)
  local a, d, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("allowed")
    d = d + t:get("denied")
    o = o + t:get("other")
  end
  io.write(string.format("IDENTIFY_COUNTS allowed=%d denied=%d non200=%d\n", a, d, o))
  io.write(string.format("IDENTIFY_LATENCY p50_us=%d p99_us=%d\n", latency:percentile(50), latency:percentile(99)))
end
