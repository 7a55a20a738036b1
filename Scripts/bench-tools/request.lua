-- wrk script used by Scripts/bench for every load scenario.
--
-- The request is described by environment variables, so one script serves every scenario:
--   BENCH_METHOD     GET, POST, ... (default GET)
--   BENCH_PATH       request target (default /healthz)
--   BENCH_AUTH       value of the Authorization header, if any (e.g. "Basic YWRtaW46YWRtaW4=")
--   BENCH_BODY_FILE  file whose bytes are the request body, if any
--
-- The request is set once on `wrk` at load time and no `request`/`response` function is defined,
-- so wrk sends a precomputed request and runs no Lua per request: the client stays cheap and the
-- numbers measure the server.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH") or "/healthz"

local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end

-- One machine-readable line for Scripts/bench to parse (latencies in microseconds).
-- `non2xx` counts responses whose status was not 2xx or 3xx; a run with any is reported as suspect.
-- `bytes` is all wrk read, so bytes ÷ requests is the size of a response as sent.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d non2xx=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max, errors.status,
    errors.connect, errors.read, errors.write, errors.timeout))
end
