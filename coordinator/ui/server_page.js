// A server's page: its facts, health over the last 24 h as a chart, the operator actions
// (each behind a confirmation), its clients and its latest events.

import { api, describe } from './api.js';
import { confirmAction, fill, h, toast } from './dom.js';
import { dateTime, isDown, ms, percent, stateLabel } from './format.js';
import { eventsPanel } from './fleet_page.js';

const actions = {
  drain: {
    label: 'Drain',
    ask: (n) => `Drain ${n}? It keeps serving its clients but takes no new ones.`,
    done: (n) => `Server ${n} is draining`,
  },
  enable: {
    label: 'Enable',
    ask: (n) => `Enable ${n}? It takes new clients again while it is healthy.`,
    done: (n) => `Server ${n} is enabled`,
  },
  disable: {
    label: 'Disable',
    ask: (n) => `Disable ${n}? It takes no new clients until it is enabled again.`,
    done: (n) => `Server ${n} is disabled`,
  },
  evacuate: {
    label: 'Evacuate',
    ask: (n) => `Evacuate ${n}? It is drained and its clients are recreated on other servers with the same uuid and subscription.`,
    done: (n) => `Server ${n} is being evacuated`,
    danger: true,
  },
};

function facts(s) {
  const health = s.health || {};
  const st = s.stats || {};
  const ev = s.evacuation || {};
  const rows = [
    ['Address', `${s.host}:${s.port}${s.base_path || ''}`],
    ['Region', s.region || '–'],
    ['Priority · weight', `${s.priority} · ${s.weight}`],
    ['Clients', `${st.total_clients || 0} of ${s.max_clients || '∞'} (${st.online_clients || 0} online)`],
    ['Response time', ms(health.response_time_ms)],
    ['Availability (24 h)', percent(health.availability)],
    ['Xray', health.xray_state || '–'],
    ['Panel version', health.panel_version || '–'],
    ['Agent', s.agent || 'local'],
    ['Last check', health.last_check ? dateTime(health.last_check) : '–'],
    ['Health flags', health.flags && health.flags.length ? health.flags.join(', ') : 'none'],
    ['Evacuation', ev.state && ev.state !== 'none' ? `${ev.state} (${ev.moved} moved, ${ev.pending} pending)` : 'none'],
    ['Last error', health.last_error || 'none'],
  ];
  return rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)));
}

const hour = 3600 * 1000;

function drawChart(canvas, summary, history, range) {
  const to = history.to_ms;
  const from = to - range;
  // Ticks on whole clock steps: 10 minutes in an hour, 1 hour in 6, 4 hours in a day.
  const step = range <= hour ? 10 * 60000 : range <= 6 * hour ? hour : 4 * hour;
  const points = history.points.filter((p) => p.time_ms >= from);
  const few = points.length < 90;
  if (canvas.chart) canvas.chart.destroy();
  const checks = points.reduce((a, p) => a + p.checks, 0);
  const passed = points.reduce((a, p) => a + p.passed, 0);
  const timed = points.filter((p) => p.passed > 0);
  const mean = timed.length ? timed.reduce((a, p) => a + p.response_time_ms * p.passed, 0) / passed : 0;
  fill(summary, checks
    ? `${checks} checks in ${points.length} minute${points.length === 1 ? '' : 's'}: ${percent(passed / checks)} passed, mean response ${ms(mean)}.`
    : 'No checks in this period yet.');
  canvas.setAttribute('aria-label',
    `Chart of response time and availability over the last ${range / hour} hours. ${summary.textContent}`);
  if (!window.Chart) return;
  const tick = (v) => new Date(v).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  canvas.chart = new window.Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Response time (ms)',
          data: points.map((p) => ({ x: p.time_ms, y: p.passed > 0 ? p.response_time_ms : null })),
          yAxisID: 'y',
          borderColor: '#1d4ed8',
          backgroundColor: '#1d4ed8',
          borderWidth: 2,
          pointRadius: few ? 3 : 0,
          spanGaps: false,
        },
        {
          label: 'Availability (%)',
          data: points.map((p) => ({ x: p.time_ms, y: Math.round(p.availability * 1000) / 10 })),
          yAxisID: 'y1',
          borderColor: '#15803d',
          backgroundColor: '#15803d',
          borderWidth: 2,
          stepped: true,
          pointRadius: few ? 3 : 0,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', min: from, max: to, ticks: { callback: tick, stepSize: step, maxRotation: 0 } },
        y: { beginAtZero: true, title: { display: true, text: 'ms' } },
        y1: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: '%' } },
      },
      plugins: {
        tooltip: { callbacks: { title: (items) => (items.length ? new Date(items[0].parsed.x).toLocaleString() : '') } },
      },
    },
  });
}

function clientsTable(list) {
  if (!list.length) return h('p', { class: 'muted' }, 'No clients on this server.');
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Clients on this server'),
      h('thead', {}, h('tr', {}, ['Email', 'User', 'State', 'Quota', 'Expires'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((c) => h('tr', {},
        h('td', {}, h('a', { href: `#/clients?q=${encodeURIComponent(c.email)}` }, c.email)),
        h('td', {}, c.user_id),
        h('td', {}, c.limited ? c.limited : c.enable ? 'enabled' : 'disabled'),
        h('td', {}, c.total_gb > 0 ? `${c.total_gb} GB` : 'unlimited'),
        h('td', {}, c.expiry_time_ms > 0 ? dateTime(c.expiry_time_ms) : 'never'))))));
}

export function renderServer(main, store, id) {
  const title = h('h2', { class: 'page-title', id: 'server-title', tabindex: '-1' }, id);
  const pill = h('span', { class: 'pill' });
  const details = h('dl', { class: 'details' });
  const status = h('p', { class: 'form-error', role: 'alert' });
  const canvas = h('canvas', { id: 'health-chart', role: 'img' });
  const summary = h('p', { class: 'muted', id: 'chart-summary' });
  const rangeSelect = h('select', { id: 'chart-range' },
    [[1, 'Last hour'], [6, 'Last 6 hours'], [24, 'Last 24 hours']].map(([v, t]) => h('option', { value: v }, t)));
  rangeSelect.value = '24';
  const clientsBox = h('div', { id: 'server-clients' }, h('p', { class: 'muted' }, 'Loading…'));
  const events = eventsPanel(store, id);
  let history = null;

  const buttons = Object.entries(actions).map(([name, a]) => {
    const b = h('button', { type: 'button', class: a.danger ? 'danger' : '', 'data-action': name }, a.label);
    b.addEventListener('click', async () => {
      const s = store.server(id);
      const label = s ? s.name || s.id : id;
      if (!(await confirmAction(`${a.label} ${label}`, a.ask(label), a.label))) return;
      fill(status, '');
      try {
        const updated = await api(`/api/v1/servers/${encodeURIComponent(id)}/${name}`, { method: 'POST' });
        store.put(updated);
        toast(a.done(label), 'good');
      } catch (err) {
        fill(status, describe(err));
        toast(describe(err), 'bad');
      }
    });
    return b;
  });

  const draw = () => {
    const s = store.server(id);
    if (!s) {
      fill(details);
      fill(status, `No server ${id} in the fleet.`);
      return;
    }
    fill(title, s.name || s.id);
    fill(pill, stateLabel(s.state));
    pill.className = `pill pill-${s.state}`;
    main.querySelector('.server-page').dataset.state = s.state;
    main.querySelector('.server-page').classList.toggle('down', isDown(s.state));
    fill(details, facts(s));
    for (const b of buttons) {
      const name = b.dataset.action;
      b.disabled = (name === 'drain' && s.state === 'draining') || (name === 'disable' && s.state === 'disabled');
    }
  };

  const loadHistory = async () => {
    try {
      history = await api(`/api/v1/servers/${encodeURIComponent(id)}/health-history`);
      drawChart(canvas, summary, history, Number(rangeSelect.value) * hour);
    } catch (err) {
      fill(summary, describe(err));
    }
  };
  rangeSelect.addEventListener('change', () => history && drawChart(canvas, summary, history, Number(rangeSelect.value) * hour));

  const loadClients = async () => {
    try {
      const body = await api(`/api/v1/clients?server_id=${encodeURIComponent(id)}&limit=100`);
      fill(clientsBox, clientsTable(body.clients), body.next ? h('p', { class: 'muted' }, 'Showing the first 100 clients.') : null);
    } catch (err) {
      fill(clientsBox, h('p', { class: 'form-error' }, describe(err)));
    }
  };

  fill(main,
    h('div', { class: 'page server-page' },
      h('p', {}, h('a', { href: '#/' }, '← Fleet')),
      h('div', { class: 'server-head' }, title, pill),
      status,
      h('div', { class: 'actions', role: 'group', 'aria-label': 'Operator actions' }, buttons),
      h('div', { class: 'server-layout' },
        h('section', { class: 'panel', 'aria-labelledby': 'details-title' }, h('h3', { id: 'details-title' }, 'Details'), details),
        h('section', { class: 'panel chart-panel', 'aria-labelledby': 'chart-title' },
          h('div', { class: 'toolbar' }, h('h3', { id: 'chart-title' }, 'Health history'),
            h('div', { class: 'field' }, h('label', { for: 'chart-range' }, 'Period'), rangeSelect)),
          h('div', { class: 'chart-box' }, canvas), summary)),
      h('section', { class: 'panel', 'aria-labelledby': 'clients-title' }, h('h3', { id: 'clients-title' }, 'Clients'), clientsBox),
      events.panel));
  draw();
  title.focus();
  loadHistory();
  loadClients();
  const timer = setInterval(loadHistory, 60000);
  const unsubscribe = store.subscribe((what) => (what === 'events' ? events.draw() : draw()));
  return () => {
    clearInterval(timer);
    unsubscribe();
    if (canvas.chart) canvas.chart.destroy();
  };
}
