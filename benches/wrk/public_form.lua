-- POST a complaint through the public form of ORGANISATION: each one is committed durably
-- before its reference is shown.
local organisation = os.getenv("ORGANISATION") or "org-001"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "complainant_name=Load+Test&complainant_role=parent&contact_email=load%40example.org" ..
  "&summary=Contact+visits+were+cancelled+without+notice&outcome_wanted=An+apology"
request = function()
  return wrk.format(nil, "/complain/" .. organisation)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests_per_sec=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
