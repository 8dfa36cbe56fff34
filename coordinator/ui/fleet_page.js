// The fleet page: totals, filters, one card per server, and the latest events.

import { fill, h } from './dom.js';
import { bytes, clock, isDown, ms, stateLabel } from './format.js';

const filters = { region: '', state: '' };

/** The server's load: clients against max_clients (or the panel's own percentage). */
function load(s) {
  const st = s.stats || {};
  const max = s.max_clients || st.max_clients || 0;
  const clients = st.total_clients || 0;
  const share = max > 0 ? clients / max : (st.load_percentage || 0) / 100;
  return { clients, max, share: Math.max(0, Math.min(1, share)) };
}

function matches(s) {
  if (filters.region && s.region !== filters.region) return false;
  if (filters.state === 'down') return isDown(s.state);
  if (filters.state && s.state !== filters.state) return false;
  return true;
}

function newCard(s) {
  const title = `card-${s.id}-title`;
  const parts = {
    link: h('a', { href: `#/servers/${encodeURIComponent(s.id)}` }),
    pill: h('span', { class: 'pill' }),
    meta: h('p', { class: 'meta' }),
    loadText: h('span', { class: 'value' }),
    fill: h('div', { class: 'fill' }),
    clients: h('dd'),
    response: h('dd'),
    xray: h('dd'),
    agent: h('dd'),
    error: h('p', { class: 'error' }),
  };
  parts.bar = h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 }, parts.fill);
  const card = h('article', { class: 'card', 'data-server': s.id, 'aria-labelledby': title },
    h('header', {}, h('h3', { id: title }, parts.link), parts.pill),
    parts.meta,
    h('div', { class: 'load' }, h('div', { class: 'load-label' }, h('span', {}, 'Load'), parts.loadText), parts.bar),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Clients'), parts.clients),
      h('div', {}, h('dt', {}, 'Response'), parts.response),
      h('div', {}, h('dt', {}, 'Xray'), parts.xray),
      h('div', {}, h('dt', {}, 'Agent'), parts.agent)),
    parts.error);
  card.parts = parts;
  return card;
}

function updateCard(card, s) {
  const p = card.parts;
  const health = s.health || {};
  const st = s.stats || {};
  const l = load(s);
  card.dataset.state = s.state;
  card.className = `card state-${s.state}${isDown(s.state) ? ' down' : ''}`;
  fill(p.link, s.name || s.id);
  fill(p.pill, stateLabel(s.state));
  p.pill.className = `pill pill-${s.state}`;
  fill(p.meta, [s.id, s.region || 'no region', `${s.host}:${s.port}`].join(' · '));
  const pct = Math.round(l.share * 100);
  fill(p.loadText, l.max > 0 ? `${l.clients} / ${l.max} clients` : `${pct}%`);
  p.fill.style.width = `${pct}%`;
  p.fill.className = `fill${pct >= 90 ? ' full' : pct >= 70 ? ' high' : ''}`;
  p.bar.setAttribute('aria-valuenow', String(pct));
  p.bar.setAttribute('aria-valuetext', l.max > 0 ? `${l.clients} of ${l.max} clients, ${pct}%` : `${pct}%`);
  p.bar.setAttribute('aria-label', `Load of ${s.name || s.id}`);
  fill(p.clients, `${st.total_clients || 0} (${st.online_clients || 0} online)`);
  fill(p.response, ms(health.response_time_ms));
  fill(p.xray, [health.xray_state || '–', health.panel_version ? `panel ${health.panel_version}` : ''].filter(Boolean).join(' · '));
  fill(p.agent, s.agent || 'local');
  fill(p.error, health.last_error ? `Last error: ${health.last_error}` : '');
  p.error.hidden = !health.last_error;
}

function totals(servers) {
  let up = 0, down = 0, other = 0, clients = 0, online = 0, traffic = 0, max = 0;
  for (const s of servers) {
    if (s.state === 'healthy') up += 1;
    else if (isDown(s.state)) down += 1;
    else other += 1;
    const st = s.stats || {};
    clients += st.total_clients || 0;
    online += st.online_clients || 0;
    traffic += st.bytes_transferred || 0;
    max += s.max_clients || 0;
  }
  return { up, down, other, clients, online, traffic, max };
}

function stat(label, value, cls, name) {
  return h('div', { class: `stat ${cls || ''}`, 'data-total': name }, h('dt', {}, label), h('dd', {}, value));
}

function eventLine(e, store) {
  const s = e.server_id ? store.server(e.server_id) : null;
  const bad = /unhealthy|unreachable|disconnected/.test(e.type);
  const who = [s ? s.name || s.id : e.server_id, e.email].filter(Boolean).join(' · ');
  const reason = e.data && e.data.reason ? e.data.reason : '';
  return h('li', { class: `event${bad ? ' event-bad' : ''}`, 'data-seq': e.seq },
    h('time', { datetime: e.time }, clock(e.time)), ' ',
    h('span', { class: 'event-type' }, e.type), ' ',
    who ? h('span', { class: 'event-who' }, who) : null,
    reason ? h('span', { class: 'event-reason' }, reason) : null);
}

/** The list of the latest events (of one server when `serverId` is given). */
export function eventsPanel(store, serverId) {
  // Not a live region: the list is redrawn whole, and toasts announce what matters.
  const list = h('ol', { class: 'events' });
  const empty = h('p', { class: 'muted' }, 'No events yet.');
  const draw = () => {
    const shown = store.events.filter((e) => !serverId || e.server_id === serverId).slice(0, 30);
    fill(list, shown.map((e) => eventLine(e, store)));
    empty.hidden = shown.length > 0;
  };
  draw();
  const panel = h('section', { class: 'panel events-panel', 'aria-labelledby': 'events-title' },
    h('h2', { id: 'events-title' }, 'Latest events'), empty, list);
  return { panel, draw };
}

export function renderFleet(main, store) {
  const totalsBox = h('dl', { class: 'totals', 'aria-label': 'Fleet totals' });
  const region = h('select', { id: 'filter-region' });
  const state = h('select', { id: 'filter-state' },
    [['', 'All states'], ['healthy', 'Healthy'], ['down', 'Down'], ['draining', 'Draining'], ['disabled', 'Disabled'], ['unknown', 'Not checked yet']]
      .map(([v, t]) => h('option', { value: v }, t)));
  state.value = filters.state;
  const shown = h('p', { class: 'muted', id: 'shown', 'aria-live': 'polite' });
  const grid = h('div', { class: 'cards', id: 'cards' });
  const events = eventsPanel(store);
  const cards = new Map();

  const draw = () => {
    const t = totals(store.servers);
    fill(totalsBox,
      stat('Servers up', `${t.up}`, 'good', 'up'),
      stat('Servers down', `${t.down}`, t.down > 0 ? 'bad' : '', 'down'),
      stat('Other states', `${t.other}`, '', 'other'),
      stat('Clients', `${t.clients}${t.max > 0 ? ' / ' + t.max : ''}`, '', 'clients'),
      stat('Online', `${t.online}`, '', 'online'),
      stat('Fleet traffic', bytes(t.traffic), '', 'traffic'));
    const regions = [...new Set(store.servers.map((s) => s.region).filter(Boolean))].sort();
    fill(region, h('option', { value: '' }, 'All regions'), regions.map((r) => h('option', { value: r }, r)));
    region.value = regions.includes(filters.region) ? filters.region : '';
    filters.region = region.value;
    const visible = store.servers.filter(matches);
    const seen = new Set();
    for (const s of visible) {
      let card = cards.get(s.id);
      if (!card) {
        card = newCard(s);
        cards.set(s.id, card);
      }
      updateCard(card, s);
      seen.add(s.id);
    }
    for (const [id, card] of cards) if (!seen.has(id)) { card.remove(); cards.delete(id); }
    // Order as configured; append keeps existing nodes (and focus) in place.
    visible.forEach((s, i) => {
      const card = cards.get(s.id);
      if (grid.children[i] !== card) grid.insertBefore(card, grid.children[i] || null);
    });
    fill(shown, `${visible.length} of ${store.servers.length} servers shown`);
  };
  region.addEventListener('change', () => { filters.region = region.value; draw(); });
  state.addEventListener('change', () => { filters.state = state.value; draw(); });

  fill(main,
    h('div', { class: 'page fleet-page' },
      h('h2', { class: 'page-title' }, 'Fleet'),
      totalsBox,
      h('div', { class: 'fleet-layout' },
        h('section', { 'aria-labelledby': 'servers-title' },
          h('div', { class: 'toolbar' },
            h('h2', { id: 'servers-title', class: 'visually-hidden' }, 'Servers'),
            h('div', { class: 'field' }, h('label', { for: 'filter-region' }, 'Region'), region),
            h('div', { class: 'field' }, h('label', { for: 'filter-state' }, 'State'), state),
            shown),
          grid),
        events.panel)));
  draw();
  return store.subscribe((what) => (what === 'events' ? events.draw() : draw()));
}
