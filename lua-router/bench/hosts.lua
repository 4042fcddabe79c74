-- wrk script: cycles through the benchmark's review-app hosts (BENCH_HOSTS, default 200).
local reqs = {}
local n = 0

function init()
  for i = 1, tonumber(os.getenv("BENCH_HOSTS") or "200") do
    reqs[i] = wrk.format("GET", "/", { Host = string.format("h%03d.bench.test", i) })
  end
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end
