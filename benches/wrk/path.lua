-- GET the path in REQUEST_PATH, with the bearer token in TOKEN or the session cookie in COOKIE.
local path = os.getenv("REQUEST_PATH") or "/"
if os.getenv("COOKIE") then
  wrk.headers["Cookie"] = os.getenv("COOKIE")
else
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
end
request = function()
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests_per_sec=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
