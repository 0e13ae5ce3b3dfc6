-- wrk reports 50/75/90/99th percentiles; the benchmarks want the 95th, and to know of failed requests.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("failed %d\n", errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  io.write(string.format("errors connect=%d read=%d write=%d status=%d timeout=%d\n", errors.connect, errors.read,
    errors.write, errors.status, errors.timeout))
end
