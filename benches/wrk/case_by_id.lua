-- GET /api/v1/cases/{id} for random ids in 1..MAX_ID (env), as a case page would.
local max_id = tonumber(os.getenv("MAX_ID") or "1000000")
math.randomseed(os.time())
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. math.random(1, max_id))
end
-- Print p50 and p99 in milliseconds after the run, in a line scripts can read.
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests_per_sec=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
