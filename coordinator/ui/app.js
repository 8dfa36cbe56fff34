// The dashboard's entry: sign-in, the pages by URL fragment (#/, #/servers/<id>,
// #/clients?q=...), the fleet as the page knows it, and the live event stream that keeps it
// current.

import { api, describe, onRefused, setToken, token, forget } from './api.js';
import { fill, h, toast } from './dom.js';
import { isDown } from './format.js';
import { follow } from './live.js';
import { renderFleet } from './fleet_page.js';
import { renderServer } from './server_page.js';
import { renderClients } from './clients_page.js';

const main = document.getElementById('main');
const liveBadge = document.getElementById('live');

/** What the page knows of the fleet; pages subscribe to hear of changes. */
const store = {
  servers: [],
  /** Latest events first, at most `keep`. */
  events: [],
  keep: 50,
  loadedAt: 0,
  listeners: new Set(),
  subscribe(f) {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  },
  changed(what) {
    for (const f of this.listeners) f(what);
  },
  server(id) {
    return this.servers.find((s) => s.id === id);
  },
  put(server) {
    const i = this.servers.findIndex((s) => s.id === server.id);
    if (i >= 0) this.servers[i] = server;
    else this.servers.push(server);
    this.changed('servers');
  },
};

let stopLive = null;
let refreshTimer = null;
let pollTimer = null;
let cleanup = null;

async function refresh() {
  try {
    const body = await api('/api/v1/servers');
    store.servers = body.servers;
    store.loadedAt = Date.now();
    store.changed('servers');
  } catch (err) {
    if (err.status !== 401) toast(describe(err), 'bad');
  }
}

/** Reads the fleet again soon; many events in a burst make one request. */
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 300);
}

const downStates = /^server\.(healthy|unhealthy|unreachable|draining|disabled)$/;

/** An event from the stream: listed, shown on its card at once, and told in a toast. */
function onEvent(e) {
  store.events.unshift(e);
  store.events.length = Math.min(store.events.length, store.keep);
  const m = downStates.exec(e.type);
  const s = e.server_id ? store.server(e.server_id) : null;
  if (m && s) {
    const was = s.state;
    s.state = m[1];
    if (s.health) {
      s.health.state = m[1];
      if (e.data && e.data.reason) s.health.last_error = e.data.reason;
    }
    const name = s.name || s.id;
    if (isDown(m[1]) && !isDown(was))
      toast(`Server ${name} is down${e.data && e.data.reason ? ': ' + e.data.reason : ''}`, 'bad');
    else if (m[1] === 'healthy' && isDown(was)) toast(`Server ${name} is healthy again`, 'good');
  }
  store.changed('events');
  if (m && s) store.changed('servers');
  if (/^(server|agent|client)\./.test(e.type)) refreshSoon();
}

function setLive(status) {
  liveBadge.hidden = false;
  liveBadge.dataset.status = status;
  fill(liveBadge, status === 'live' ? 'Live' : 'Reconnecting…');
}

async function startLive() {
  // The latest events fill the panel; the stream then continues right after them.
  let next = 0;
  try {
    const recent = await api('/api/v1/events?tail=' + store.keep);
    store.events = recent.events.slice().reverse();
    next = recent.next;
    store.changed('events');
  } catch (err) {
    if (err.status === 401) return;
  }
  stopLive = follow(next, onEvent, setLive);
}

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  for (const a of document.querySelectorAll('[data-nav]'))
    a.toggleAttribute('aria-current', a.dataset.nav === (path.startsWith('/clients') ? 'clients' : path === '/' ? 'fleet' : ''));
  const server = /^\/servers\/(.+)$/.exec(path);
  if (server) cleanup = renderServer(main, store, decodeURIComponent(server[1]));
  else if (path.startsWith('/clients')) cleanup = renderClients(main, store, params.get('q') || '');
  else cleanup = renderFleet(main, store);
}

function showSignIn(reason) {
  if (stopLive) stopLive();
  stopLive = null;
  clearInterval(pollTimer);
  if (cleanup) cleanup();
  cleanup = null;
  document.body.classList.remove('signed-in');
  liveBadge.hidden = true;
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const message = h('p', { id: 'sign-in-message', class: 'form-error', role: 'alert' }, reason || '');
  const form = h('form', { class: 'sign-in', 'aria-labelledby': 'sign-in-title', novalidate: true },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Use an API token of this coordinator (coordinator.api_tokens). It is kept in this tab only, until it closes.'),
    h('label', { for: 'token' }, 'API token'),
    input,
    message,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = input.value.trim();
    if (!value) {
      fill(message, 'Enter a token.');
      input.focus();
      return;
    }
    setToken(value);
    try {
      await api('/api/v1/servers', { signingIn: true });
      start();
    } catch (err) {
      forget();
      fill(message, err.status === 401 ? `The coordinator refused this token: ${err.message}` : describe(err));
      input.focus();
    }
  });
  fill(main, form);
  input.focus();
}

async function start() {
  document.body.classList.add('signed-in');
  await refresh();
  if (!token()) return;
  route();
  startLive();
  clearInterval(pollTimer);
  // Load, clients and response times change without events.
  pollTimer = setInterval(refresh, 10000);
}

onRefused((message) => showSignIn(`Signed out: the coordinator refused the token (${message}).`));
window.addEventListener('hashchange', () => {
  if (token()) route();
});
document.getElementById('sign-out').addEventListener('click', () => {
  forget();
  showSignIn('Signed out.');
});

if (token()) start();
else showSignIn('');
