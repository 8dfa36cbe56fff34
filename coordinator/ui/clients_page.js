// Client search by email or bot user id: where each client lives, its state, usage and
// limits.

import { api, describe } from './api.js';
import { fill, h } from './dom.js';
import { bytes, dateTime, stateLabel } from './format.js';

function clientCard(c, store) {
  const s = store.server(c.server_id);
  const usage = c.usage || { total: 0, up: 0, down: 0 };
  const quota = c.total_gb > 0 ? `${c.total_gb} GB` : 'unlimited';
  const rows = [
    ['User', c.user_id],
    ['Server', h('span', {}, h('a', { href: `#/servers/${encodeURIComponent(c.server_id)}` }, s ? s.name || s.id : c.server_id), ' ',
      h('span', { class: `pill pill-${c.state}` }, stateLabel(c.state)))],
    ['State', c.limited ? `limited: ${c.limited}` : c.enable ? 'enabled' : 'disabled'],
    ['Used (fleet)', `${bytes(usage.total)} (↑ ${bytes(usage.up)}, ↓ ${bytes(usage.down)})`],
    ['Quota', quota],
    ['Remaining', c.remaining_bytes === null || c.remaining_bytes === undefined ? '–' : bytes(c.remaining_bytes)],
    ['Expires', c.expiry_time_ms > 0 ? dateTime(c.expiry_time_ms) : 'never'],
    ['Device limit', c.limit_ip > 0 ? `${c.limit_ip} addresses` : 'none'],
    ['On the panel now', c.traffic ? `${bytes(c.traffic.total)}${c.traffic.enable === false ? ', stopped by the panel' : ''}` : c.traffic_error ? `not known: ${c.traffic_error}` : '–'],
    ['Created', dateTime(c.created_at)],
    ['Moved', c.moved_at ? dateTime(c.moved_at) : 'never'],
  ];
  return h('article', { class: 'panel client', 'data-client': c.email, 'aria-labelledby': `client-${c.email}` },
    h('h3', { id: `client-${c.email}` }, c.email),
    h('dl', { class: 'details' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
}

/** Finds `q`: a number is a bot user id first, anything else (or a user with no clients) an email. */
async function search(q) {
  if (/^\d+$/.test(q)) {
    try {
      const user = await api(`/api/v1/users/${encodeURIComponent(q)}`);
      return { clients: user.clients, usage: user.usage, user: q };
    } catch (err) {
      if (err.status !== 404) throw err;
    }
  }
  const c = await api(`/api/v1/clients/${encodeURIComponent(q)}`);
  return { clients: [c] };
}

export function renderClients(main, store, initial) {
  const input = h('input', { id: 'client-query', name: 'q', type: 'search', autocomplete: 'off', spellcheck: 'false', required: true });
  input.value = initial;
  const results = h('div', { id: 'client-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'search', role: 'search', 'aria-label': 'Client search' },
    h('label', { for: 'client-query' }, 'Email or user id'),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'primary' }, 'Search')));
  let current = 0;

  const run = async (q) => {
    const mine = ++current;
    if (!q) {
      fill(results);
      return;
    }
    fill(results, h('p', { class: 'muted' }, 'Searching…'));
    try {
      const found = await search(q);
      if (mine !== current) return;
      fill(results,
        found.user ? h('p', { class: 'summary' }, `User ${found.user}: ${found.clients.length} client(s), ${bytes(found.usage.total)} used in the fleet.`) : null,
        found.clients.map((c) => clientCard(c, store)));
    } catch (err) {
      if (mine !== current) return;
      fill(results, h('p', { class: 'form-error', role: 'alert' },
        err.status === 404 ? `No client or user "${q}" in the fleet.` : describe(err)));
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    const target = `#/clients?q=${encodeURIComponent(q)}`;
    if (location.hash !== target) history.replaceState(null, '', target);
    run(q);
  });

  fill(main, h('div', { class: 'page clients-page' }, h('h2', { class: 'page-title' }, 'Clients'), form, results));
  input.focus();
  run(initial.trim());
  return () => { current += 1; };
}
