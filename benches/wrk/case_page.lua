-- GET /cases/{id}, the staff case page, for random ids in 1..MAX_ID, with the session cookie
-- in COOKIE.
local max_id = tonumber(os.getenv("MAX_ID") or "1000000")
math.randomseed(os.time())
wrk.headers["Cookie"] = os.getenv("COOKIE") or ""
request = function()
  return wrk.format("GET", "/cases/" .. math.random(1, max_id))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests_per_sec=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
