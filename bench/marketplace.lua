-- wrk script for bench/marketplace.sh, three modes (BENCH_MODE):
--   trivial: GET /api/health/live (the same app's floor), for p50/p99 in the same units as the others;
--   search:  GET /api/v1/marketplace/items with the query words, category, kind, price filters and sort varied per
--            request (the words are the accent-free forms of the seeded vocabulary; the last one cut to a prefix);
--   install: POST /api/v1/marketplace/items/{id}/install, all 64 users on one hot item at a time: request k goes to
--            item floor(k / 128) as user k % 64, so every user installs every item twice, 64 requests apart (with 64
--            connections the two are in flight together). Run with one wrk thread so the order is global.
-- Each mode counts non-200 answers; search counts the items returned; install counts answers whose install_count
-- exceeds the number of users (must stay 0) and how many requests it issued (the script checks the store with it).
local mode = os.getenv("BENCH_MODE") or "search"
local users = 64
local threads = {}
local counter = 0

local vocabulary = {
  "grammar", "rewrite", "summary", "translate", "resume", "cafe", "naive", "uber", "facade", "creme", "jalapeno",
  "smorgasbord", "pinata", "deja", "email", "invoice", "budget", "recipe", "fitness", "workout", "language", "tutor",
  "python", "javascript", "debugger", "refactor", "lesson", "quiz", "story", "poem", "lyrics", "podcast", "meeting",
  "notes", "calendar", "planner", "travel", "itinerary", "garden", "cooking", "finance", "tax", "legal", "contract",
  "marketing", "seo", "slogan", "brand", "logo", "image", "caption", "video", "script", "chess", "puzzle", "music",
  "guitar", "piano", "study", "flashcards", "history", "science", "math", "physics", "chemistry", "biology", "health",
  "sleep", "mindful", "journal", "habit", "focus", "timer", "shopping", "fashion", "interior", "pet", "dog", "cat",
}
local categories = { "productivity", "writing", "coding", "education", "entertainment", "business", "lifestyle", "other" }
local kinds = { "feature", "gpt", "prompt", "bundle" }
local sorts = { "relevance", "rating", "installs", "newest" }
local prices = { 0, 99, 199, 499, 999, 1999, 4999 }

local function lines(path)
  local list = {}
  for line in io.lines(path) do
    if #line > 0 then table.insert(list, line) end
  end
  return list
end

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  ok, other, returned, empty, over, issued = 0, 0, 0, 0, 0, 0
  math.randomseed(id * 7919 + os.time())
  wrk.headers["X-Tenant-ID"] = "bench"
  if mode == "search" then
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_SEARCH_TOKEN")
  elseif mode == "install" then
    tokens = lines(os.getenv("BENCH_TOKENS"))
    items = lines(os.getenv("BENCH_ITEMS"))
    wrk.method = "POST"
  end
end

local function pick(list) return list[math.random(1, #list)] end

local function search_path()
  local q = {}
  local r = math.random()
  if r < 0.8 then
    -- one or two words; the last one a prefix of at least 3 letters (or the whole word)
    local words = {}
    if math.random() < 0.4 then table.insert(words, pick(vocabulary)) end
    local last = pick(vocabulary)
    table.insert(words, string.sub(last, 1, math.random(math.min(3, #last), #last)))
    if math.random() < 0.3 then words[#words] = string.upper(words[#words]) end
    table.insert(q, "query=" .. table.concat(words, "+"))
  end
  if math.random() < 0.4 then table.insert(q, "category=" .. pick(categories)) end
  if math.random() < 0.3 then table.insert(q, "kind=" .. pick(kinds)) end
  r = math.random()
  if r < 0.2 then
    table.insert(q, "free=true")
  elseif r < 0.6 then
    local low = prices[math.random(1, 4)]
    local high = prices[math.random(4, #prices)]
    if math.random() < 0.5 then table.insert(q, "min_price=" .. low) end
    table.insert(q, "max_price=" .. high)
  end
  table.insert(q, "sort=" .. pick(sorts))
  return "/api/v1/marketplace/items?" .. table.concat(q, "&")
end

function request()
  if mode == "trivial" then
    return wrk.format("GET", "/api/health/live")
  elseif mode == "search" then
    return wrk.format("GET", search_path())
  end
  local k = issued
  issued = issued + 1
  local item = items[(math.floor(k / (2 * users)) % #items) + 1]
  wrk.headers["Authorization"] = "Bearer " .. tokens[(k % users) + 1]
  return wrk.format("POST", "/api/v1/marketplace/items/" .. item .. "/install")
end

function response(status, headers, body)
  if status ~= 200 then
    other = other + 1
    return
  end
  ok = ok + 1
  if mode == "search" then
    local _, n = string.gsub(body, '"rating_histogram":', "")
    returned = returned + n
    if n == 0 then empty = empty + 1 end
  elseif mode == "install" then
    local count = tonumber(string.match(body, '"install_count":(%d+)'))
    if count == nil or count > users then over = over + 1 end
  end
end

function done(summary, latency, requests)
  local o, x, n, e, v, i = 0, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    x = x + t:get("other")
    n = n + t:get("returned")
    e = e + t:get("empty")
    v = v + t:get("over")
    i = i + t:get("issued")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH mode=%s ok=%d non200=%d returned=%d empty=%d over=%d issued=%d socket_errors=%d rps=%.1f p50_us=%d p99_us=%d\n",
    mode, o, x, n, e, v, i, errors, o / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99)))
end
