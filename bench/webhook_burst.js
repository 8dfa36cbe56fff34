// The webhook benchmark's driver (started by webhook_bench.sh): a burst of EVENTS server
// drain/enable toggles through the API while a bot polls GET /api/v1/events?after= in a loop
// (no pause between answers) next to HOOKS webhooks, then the same with the receiver refusing
// during the burst (a backlog to catch up on). Prints rate and lag of each.
// usage: node webhook_burst.js API TOKEN SINK SECRET HOOKS EVENTS SERVERS
const [api, token, sink, secret, hooks, events, servers] = process.argv.slice(2);
const headers = { authorization: "Bearer " + token, "content-type": "application/json" };
const get = async (path) => (await fetch(api + path, { headers })).json();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pct(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))] : NaN;
}

async function until(what, f, ms = 120000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error("webhook bench: timed out waiting for " + what);
    await sleep(20);
  }
}

/** A bot's loop: GET ?after=cursor (limit 1000), again as soon as the answer is in. */
function poller(start) {
  const bot = { cursor: start, lags: [], requests: 0, stop: false };
  bot.done = (async () => {
    while (!bot.stop) {
      const page = await get(`/api/v1/events?after=${bot.cursor}&limit=1000`);
      const at = Date.now();
      bot.requests += 1;
      for (const e of page.events) {
        bot.lags.push(at - Date.parse(e.time));
        bot.cursor = e.seq;
      }
      if (page.events.length) [bot.last_at, bot.needed] = [at, bot.requests];
    }
  })();
  return bot;
}

/** EVENTS toggles, one worker per server: drain, enable, drain, ... (each one an event). */
const toggles = {};
async function burst() {
  let next = 0;
  const worker = async (id) => {
    while (next < +events) {
      next += 1;
      toggles[id] = (toggles[id] ?? 0) + 1;
      const r = await fetch(`${api}/api/v1/servers/${id}/${toggles[id] % 2 ? "drain" : "enable"}`,
                            { method: "POST", headers });
      if (!r.ok) throw new Error(`webhook bench: toggle of ${id}: HTTP ${r.status} ${await r.text()}`);
      await r.text();
    }
  };
  await Promise.all(Array.from({ length: +servers }, (_, i) => worker(String(i + 1))));
}

const sinkPost = (path) => fetch(sink + path, { method: "POST" });
const sinkStats = async () => (await (await fetch(sink + "/stats")).json());
const row = (name, r, lags) => console.log(`  ${name.padEnd(30)} ${r.toFixed(0).padStart(6)} events/s` +
  (lags ? `   lag p50 ${String(pct(lags, 50)).padStart(5)} ms  p99 ${String(pct(lags, 99)).padStart(5)} ms` : ""));

/** One burst: the webhooks and the bot until both have the last event. With `held`, the
 *  receiver refuses everything during the burst and the bot starts after it (a backlog). */
async function run(held) {
  await until("webhooks caught up", async () =>
    (await get("/api/v1/webhooks")).webhooks.every((w) => w.lag === 0));
  await sinkPost(held ? "/hold" : "/reset");
  const start = (await get("/api/v1/events?tail=1")).next;
  let bot = held ? null : poller(start);
  let t0 = Date.now();
  await burst();
  const produced = Date.now() - t0;
  const last = (await get("/api/v1/events?tail=1")).next;
  if (held) {
    await sinkPost("/release");
    t0 = Date.now();
    bot = poller(start);
  }
  let stats = {};
  await until("every webhook and the bot at the last event", async () => {
    stats = await sinkStats();
    for (const [path, h] of Object.entries(stats))
      if (h.bad || h.out_of_order)
        throw new Error(`webhook bench: ${path}: ${h.bad} bad signatures, ${h.out_of_order} out of order`);
    return bot.cursor >= last && Object.keys(stats).length === +hooks &&
      Object.values(stats).every((h) => h.last_seq >= last);
  });
  bot.stop = true;
  await bot.done;
  const n = last - start;
  console.log(held ? `backlog: ${n} events made while the receiver answered 503, then delivered`
                   : `live: ${n} events from ${events} toggles over ${servers} servers through the API in` +
                     ` ${produced} ms (${((n * 1000) / produced).toFixed(0)} events/s produced)`);
  const rates = [];
  for (const [path, h] of Object.entries(stats)) {
    // A held webhook is timed from its first delivery once released (not its retry pause).
    rates.push((n * 1000) / (h.last_at - (held ? h.first_at : t0)));
    row(`webhook ${path}`, rates.at(-1), held ? null : h.lags);
  }
  const botRate = (n * 1000) / (bot.last_at - t0);
  row("bot polling ?after= (limit 1000)", botRate, held ? null : bot.lags);
  console.log(`  the bot needed ${bot.needed} requests (${(n / bot.needed).toFixed(1)} events each);` +
    ` slowest webhook / bot: ${(Math.min(...rates) / botRate).toFixed(2)}`);
  return Math.min(...rates);
}

(async () => {
  console.log(`${hooks} webhook(s), each to its own path; every delivery checked: signed, in seq order`);
  const live = await run(false);
  const backlog = await run(true);
  console.log(`  the webhooks together: ${(hooks * live).toFixed(0)} events/s live,` +
    ` ${(hooks * backlog).toFixed(0)} catching up`);
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
