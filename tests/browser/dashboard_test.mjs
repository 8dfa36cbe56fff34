// The web dashboard, driven in headless chromium against a real coordinator and fake panels
// (started by run_browser_test.sh): sign-in, fleet cards, a panel going down live, the
// server page's chart and actions, client search, and a phone-sized screen.

import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';

const require = createRequire(process.env.MODULES + '/');
const { chromium } = require('playwright-core');

const base = process.env.FLEET_URL;
const tokenValue = process.env.FLEET_TOKEN;
const control = process.env.FAKE_CONTROL;
const shots = process.env.SHOTS;
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ' (' + detail + ')' : ''}`);
}

async function apiCall(path, { method = 'GET', body } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${tokenValue}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

async function fault(panel, mode) {
  const res = await fetch(`${control}/_fake/panels/${panel}/fault`, { method: 'POST', body: JSON.stringify({ mode }) });
  if (!res.ok) throw new Error(`fault ${mode} on ${panel}: HTTP ${res.status}`);
}

async function until(what, f, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Follows the event stream from node, noting when each event arrived (ms since epoch). */
function followEvents() {
  const seen = [];
  const controller = new AbortController();
  (async () => {
    const res = await fetch(base + '/api/v1/events/stream', { headers: { Authorization: `Bearer ${tokenValue}` }, signal: controller.signal });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) seen.push({ at: Date.now(), event: JSON.parse(data.slice(6)) });
      }
    }
  })().catch(() => {});
  return { seen, stop: () => controller.abort() };
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Pixels a canvas has drawn (alpha > 0). */
async function drawnPixels(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    if (!c || !c.width || !c.height) return 0;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
    return n;
  }, selector);
}

async function signIn(page, value) {
  await page.fill('#token', value);
  await page.click('form.sign-in button[type=submit]');
}

async function main() {
  // The coordinator serves the page itself: headers, conditional requests, no token needed.
  const index = await fetch(base + '/ui/');
  const csp = index.headers.get('content-security-policy') || '';
  const etag = index.headers.get('etag');
  check('GET /ui/ serves the page', index.status === 200 && (index.headers.get('content-type') || '').startsWith('text/html'));
  check('the page comes with a Content-Security-Policy without inline scripts',
    csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), csp);
  const again = await fetch(base + '/ui/', { headers: { 'If-None-Match': etag || 'none' } });
  check('an unchanged page costs a 304 with its ETag', Boolean(etag) && again.status === 304, `${again.status}`);
  const chart = await fetch(base + '/ui/chart.js');
  check('Chart.js is served from the binary', chart.status === 200 && (chart.headers.get('content-type') || '').startsWith('text/javascript'));
  check('an unknown file is 404', (await fetch(base + '/ui/nope.js')).status === 404);

  await until('three healthy servers', async () => {
    const r = await apiCall('/api/v1/servers');
    return r.status === 200 && r.body.servers.every((s) => s.state === 'healthy');
  });
  const created = await apiCall('/api/v1/clients', { method: 'POST', body: { user_id: '4242', server_id: 'eu1', total_gb: 20 } });
  check('a client to look for is created', created.status === 201, `${created.status}`);
  await apiCall('/api/v1/clients', { method: 'POST', body: { user_id: '4242', email: 'second-4242', server_id: 'us1' } });

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
  const problems = [];
  let restarting = false;
  const watch = (page) => {
    // Answers the test asks for on purpose (a wrong token, an unknown client) are logged by
    // the browser too; anything else is a problem.
    page.on('console', (m) => {
      if (m.type() !== 'error' || /status of (401|404)/.test(m.text())) return;
      // While the coordinator restarts, the stream breaks and reconnects are refused.
      if (restarting && /net::ERR_(INCOMPLETE_CHUNKED_ENCODING|CONNECTION_REFUSED)/.test(m.text())) return;
      problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    watch(page);
    const started = Date.now();
    await page.goto(base + '/ui/');
    await page.waitForSelector('#token');
    check('signed out, the page asks for a token', await page.isVisible('form.sign-in'));
    await signIn(page, 'wrong-token-0000');
    await page.waitForSelector('#sign-in-message:has-text("The coordinator refused this token")');
    check('a wrong token gets the sign-in page with the reason', true);
    const t0 = Date.now();
    await signIn(page, tokenValue);
    await page.waitForSelector('.card[data-server=eu1]');
    const shown = Date.now() - t0;
    const cards = await page.$$eval('.card', (els) => els.map((e) => [e.dataset.server, e.dataset.state]));
    check('one card per server, all healthy', cards.length === 3 && cards.every(([, s]) => s === 'healthy'), JSON.stringify(cards));
    console.log(`dashboard: cards shown ${shown} ms after signing in (page opened ${t0 - started} ms before)`);
    check('the token stays in sessionStorage only', await page.evaluate((t) =>
      sessionStorage.getItem('xui-fleet.token') === t && localStorage.length === 0 && !document.cookie, tokenValue));
    const cardText = await page.textContent('.card[data-server=eu1]');
    check('a card shows name, region, load, clients, response time, xray and agent',
      ['Frankfurt 1', 'EU', '/ 50 clients', 'Response', 'Xray', 'running', 'local'].every((w) => cardText.includes(w)), cardText);
    await page.waitForSelector('#live[data-status=live]');
    check('the page follows the event stream', true);
    const up = await page.textContent('[data-total=up] dd');
    check('totals count the servers up', up.trim() === '3', up);

    // Filters.
    await page.selectOption('#filter-region', 'US');
    check('the region filter leaves the US server', (await page.$$('.card')).length === 1 && (await page.$('.card[data-server=us1]')) !== null);
    await page.selectOption('#filter-region', '');
    await page.selectOption('#filter-state', 'down');
    check('the state filter shows no server down yet', (await page.$$('.card')).length === 0);
    await page.selectOption('#filter-state', '');

    // A panel goes down: its card turns red within a second of the event, and a toast says so.
    const events = followEvents();
    await new Promise((r) => setTimeout(r, 300));
    await page.evaluate(() => {
      const card = document.querySelector('.card[data-server=eu2]');
      new MutationObserver(() => {
        if (card.classList.contains('down') && !window.downAt) window.downAt = performance.timeOrigin + performance.now();
      }).observe(card, { attributes: true });
    });
    await fault('eu2', 'down');
    const ev = await until('server.unhealthy of eu2', () => events.seen.find((e) => e.event.type === 'server.unhealthy' && e.event.server_id === 'eu2'), 15000);
    await page.waitForSelector('.card[data-server=eu2].down', { timeout: 15000 });
    const downAt = await page.evaluate(() => window.downAt);
    const lag = Math.round(downAt - ev.at);
    const color = await page.$eval('.card[data-server=eu2]', (e) => getComputedStyle(e).backgroundColor);
    check('the card of the panel that went down turns red within a second of the event', lag < 1000 && color === 'rgb(254, 242, 242)', `${lag} ms after the event, background ${color}`);
    await page.waitForSelector('.toast-bad:has-text("Amsterdam 2 is down")', { timeout: 15000 });
    check('a toast says the server is down', true);
    await page.waitForSelector('.events .event-bad:has-text("server.unhealthy")', { timeout: 15000 });
    check('the events panel lists the event', true);
    const down = await page.textContent('[data-total=down] dd');
    check('totals count the server down', down.trim() === '1', down);
    await page.screenshot({ path: `${shots}/fleet-desktop.png` });
    events.stop();

    // The server page: chart, clients, and an action behind a confirmation.
    await page.click('.card[data-server=eu1] h3 a');
    await page.waitForSelector('#server-title:has-text("Frankfurt 1")');
    await page.waitForSelector('#chart-summary:has-text("checks")', { timeout: 15000 });
    await page.selectOption('#chart-range', '1');
    await page.waitForTimeout(200);
    const pixels = await drawnPixels(page, '#health-chart');
    check('the server page draws the health history chart', pixels > 2000, `${pixels} pixels drawn`);
    const history = await apiCall('/api/v1/servers/eu1/health-history');
    check('the health history has minutes with checks', history.status === 200 && history.body.points.length >= 1 &&
      history.body.points[0].checks > 0, JSON.stringify(history.body.points.slice(-1)));
    await page.waitForSelector('#server-clients a:has-text("u4242")');
    check('the server page lists its clients', true);
    await page.click('button[data-action=disable]');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-cancel');
    check('a cancelled action changes nothing', (await apiCall('/api/v1/servers/eu1')).body.state === 'healthy');
    await page.click('button[data-action=drain]');
    await page.waitForSelector('#confirm[open]');
    const question = await page.textContent('#confirm-text');
    check('drain asks for a confirmation first', question.includes('Drain Frankfurt 1?') && (await apiCall('/api/v1/servers/eu1')).body.state === 'healthy', question);
    await page.screenshot({ path: `${shots}/server-confirm.png` });
    await page.click('#confirm-ok');
    await page.waitForSelector('.toast-good:has-text("draining")');
    const drained = await apiCall('/api/v1/servers/eu1');
    check('after confirming, the API says the server is draining', drained.body.state === 'draining', drained.body.state);
    await page.waitForSelector('.server-head .pill-draining');
    await page.screenshot({ path: `${shots}/server-page.png`, fullPage: true });

    // The stream drops (the coordinator restarts): the page says so, reconnects by itself
    // with Last-Event-ID and lists every event of the restart, none twice.
    await page.click('nav a[data-nav=fleet]');
    await page.waitForSelector('.card[data-server=us1]');
    const before = (await apiCall('/api/v1/events?tail=1')).body.next;
    const pid = Number(readFileSync(process.env.COORD_PID_FILE, 'utf8'));
    restarting = true;
    process.kill(pid, 'SIGTERM');
    await page.waitForSelector('#live[data-status=reconnecting]', { timeout: 15000 });
    // Meanwhile the panel that was down comes back: its first check after the restart is an
    // event, and so are the operator's actions as soon as the coordinator answers.
    await fault('eu2', 'none');
    await until('the coordinator back', async () => {
      try {
        return (await fetch(base + '/healthz')).ok && Number(readFileSync(process.env.COORD_PID_FILE, 'utf8')) !== pid;
      } catch {
        return false;
      }
    });
    await apiCall('/api/v1/servers/us1/disable', { method: 'POST' });
    await apiCall('/api/v1/servers/us1/enable', { method: 'POST' });
    await page.waitForSelector('#live[data-status=live]', { timeout: 15000 });
    restarting = false;
    await page.waitForSelector('.card[data-server=eu2][data-state=healthy]', { timeout: 10000 });
    await page.waitForSelector('.events li:has-text("server.enabled")', { timeout: 15000 });
    const after = (await apiCall(`/api/v1/events?after=${before}&limit=1000`)).body.events.map((e) => e.seq);
    const listed = await page.$$eval('.events li', (els) => els.map((e) => Number(e.dataset.seq)));
    const missed = after.filter((q) => !listed.includes(q));
    const twice = listed.filter((q, i) => listed.indexOf(q) !== i);
    check('after a dropped stream the page reconnects and misses no event, none twice',
      after.length > 0 && missed.length === 0 && twice.length === 0,
      `${after.length} events since the drop, missed ${JSON.stringify(missed)}, twice ${JSON.stringify(twice)}`);

    // Client search by user id and by email.
    await page.click('nav a[data-nav=clients]');
    await page.fill('#client-query', '4242');
    await page.click('form.search button');
    await page.waitForSelector('.client[data-client=second-4242]');
    const userText = await page.textContent('#client-results');
    check('a user id finds all the user\'s clients and where they live', userText.includes('2 client(s)') &&
      userText.includes('Frankfurt 1') && userText.includes('New York 1') && userText.includes('20 GB'), userText.slice(0, 200));
    await page.fill('#client-query', 'u4242');
    await page.click('form.search button');
    await page.waitForSelector('#client-results .client[data-client=u4242]');
    check('an email finds one client', (await page.$$('#client-results .client')).length === 1);
    await page.fill('#client-query', 'nobody@nowhere');
    await page.click('form.search button');
    await page.waitForSelector('#client-results .form-error:has-text("No client")');
    check('an unknown client is said so', true);

    // A phone: one column, nothing wider than the screen.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p2 = await phone.newPage();
    watch(p2);
    await p2.goto(base + '/ui/');
    await signIn(p2, tokenValue);
    await p2.waitForSelector('.card[data-server=eu2]');
    check('on a phone the fleet page has no horizontal scroll', await noHorizontalScroll(p2));
    await p2.screenshot({ path: `${shots}/fleet-phone.png`, fullPage: true });
    await p2.goto(base + '/ui/#/servers/eu1');
    await p2.waitForSelector('#chart-summary:has-text("checks")');
    check('on a phone the server page has no horizontal scroll', await noHorizontalScroll(p2));
    await p2.goto(base + '/ui/#/clients?q=4242');
    await p2.waitForSelector('.client[data-client=u4242]');
    check('on a phone the client search has no horizontal scroll', await noHorizontalScroll(p2));

    // Keyboard: on a fresh load the first Tab reaches the skip link, which then shows.
    await p2.goto(base + '/ui/#/');
    await p2.reload();
    await p2.waitForSelector('.card[data-server=eu1]');
    await p2.keyboard.press('Tab');
    check('the first Tab reaches the skip link, visible', await p2.evaluate(() => {
      const a = document.activeElement;
      return a.classList.contains('skip') && a.getBoundingClientRect().left >= 0;
    }));

    // A token the coordinator no longer takes: back to the sign-in page, saying why.
    await p2.evaluate(() => sessionStorage.setItem('xui-fleet.token', 'revoked-token-0000'));
    // (No reload: the first refused request signs out, and a reload after it would find no
    // token and so no reason to show.)
    await p2.goto(base + '/ui/#/servers/eu1');
    await p2.waitForSelector('#sign-in-message:has-text("refused the token")', { timeout: 15000 });
    check('a refused token brings back the sign-in page with the reason',
      await p2.evaluate(() => sessionStorage.getItem('xui-fleet.token') === null));

    // Back to healthy: the card turns green again.
    await fault('eu2', 'none');
    await page.click('nav a[data-nav=fleet]');
    await page.waitForSelector('.card[data-server=eu2][data-state=healthy]', { timeout: 10000 });
    check('the panel back up turns its card healthy again', true);

    for (const f of ['fleet-desktop.png', 'server-page.png', 'fleet-phone.png'])
      check(`screenshot ${f} is not blank`, statSync(`${shots}/${f}`).size > 15000, `${statSync(`${shots}/${f}`).size} bytes`);
    check('no script error and no Content-Security-Policy violation in the page', problems.length === 0, problems.slice(0, 3).join(' | '));
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (err) {
  failed += 1;
  console.log(`FAIL ${err.stack || err}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
