// The dashboard benchmark's browser half (started by dashboard_load.sh): LOADS fresh page
// loads of /ui/ with the token already in sessionStorage, each timed from navigation to every
// server's card rendered; then FAULTS panels taken down one at a time, each timed from the
// fault to its card turning red, and from the coordinator's server.unhealthy event to red.
import { createRequire } from 'node:module';

const require = createRequire(process.env.MODULES + '/');
const { chromium } = require('playwright-core');
const [base, token, control, servers, loads, faults] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${token}` };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pct(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
}

async function fault(panel, mode) {
  const res = await fetch(`${control}/_fake/panels/${panel}/fault`, { method: 'POST', body: JSON.stringify({ mode }) });
  if (!res.ok) throw new Error(`dashboard bench: fault ${mode} on ${panel}: HTTP ${res.status}`);
}

async function allHealthy() {
  for (;;) {
    const body = await (await fetch(`${base}/api/v1/servers`, { headers })).json();
    if (body.servers.every((s) => s.state === 'healthy')) return;
    await sleep(100);
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
try {
  const times = [];
  let page;
  for (let i = 0; i < +loads; ++i) {
    // A fresh context each time: nothing cached, the token as a signed-in tab has it.
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.addInitScript((t) => sessionStorage.setItem('xui-fleet.token', t), token);
    page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${base}/ui/`);
    await page.waitForFunction((n) => document.querySelectorAll('.card').length === n, +servers, { polling: 'raf' });
    times.push(Date.now() - t0);
    if (i + 1 < +loads) await context.close();
  }
  console.log(`load of /ui/ to ${servers} cards rendered, ${loads} fresh loads: p50 ${pct(times, 50)} ms,` +
    ` p95 ${pct(times, 95)} ms (min ${Math.min(...times)}, max ${Math.max(...times)})`);

  // The last page stays open and follows the event stream; panels go down one at a time.
  await page.waitForSelector('#live[data-status=live]');
  const toRed = [], eventToRed = [];
  for (let i = 1; i <= +faults; ++i) {
    const id = `p${i}`;
    await page.evaluate((sel) => {
      const card = document.querySelector(sel);
      window.redAt = 0;
      new MutationObserver(() => {
        if (card.classList.contains('down') && !window.redAt) window.redAt = performance.timeOrigin + performance.now();
      }).observe(card, { attributes: true });
    }, `.card[data-server="${id}"]`);
    const t0 = Date.now();
    await fault(id, 'down');
    await page.waitForFunction(() => window.redAt > 0, null, { timeout: 30000 });
    const redAt = await page.evaluate(() => window.redAt);
    const tail = await (await fetch(`${base}/api/v1/events?tail=20`, { headers })).json();
    const ev = tail.events.reverse().find((e) => e.type === 'server.unhealthy' && e.server_id === id);
    toRed.push(Math.round(redAt - t0));
    if (ev) eventToRed.push(Math.round(redAt - Date.parse(ev.time)));
    await fault(id, 'none');
    await page.waitForSelector(`.card[data-server="${id}"]:not(.down)`, { timeout: 30000 });
    await allHealthy();
  }
  console.log(`panel fault to its card red, ${faults} faults: p50 ${pct(toRed, 50)} ms (max ${Math.max(...toRed)});` +
    ` server.unhealthy event to red: p50 ${pct(eventToRed, 50)} ms (max ${Math.max(...eventToRed)})`);
} finally {
  await browser.close();
}
