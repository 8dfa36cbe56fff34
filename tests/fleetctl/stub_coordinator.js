// A stand-in for fleet-coordinator's HTTP API that answers the usage routes with fixed bodies
// (api-contract.md, "Extensions of this wave"), so that fleetctl's commands for them can be
// checked on their own. Listens on a free loopback port, prints {"port": N} on its first
// line, and appends every request it gets to LOG as one JSON line {method, url, body}.
// usage: node stub_coordinator.js TOKEN LOG
'use strict';
const http = require('http');
const fs = require('fs');

const [token, log] = process.argv.slice(2);
const gib = 1024 ** 3;

const base = {
  user_id: '5', uuid: '0d1c2b3a-4f5e-4a6b-9c8d-000000000005', sub_id: 'sub-u5-0123456789',
  server_id: 'b', inbound_id: 1, total_gb: 10, expiry_time_ms: 1900000000000, enable: true,
  created_at: '2026-12-01T10:00:00Z',
};
// A client as a coordinator with usage accounting answers it: over its quota.
const limited = {
  ...base, email: 'u5', enable: false, limited: 'quota', remaining_bytes: 0,
  usage: {
    up: 2 * gib, down: 8 * gib, total: 10 * gib,
    by_server: { a: { up: gib, down: 3 * gib, total: 4 * gib },
                 b: { up: gib, down: 5 * gib, total: 6 * gib } },
  },
};
// Unlimited and fresh.
const unlimited = {
  ...base, email: 'u6', total_gb: 0, limited: null, remaining_bytes: null,
  usage: { up: 1536, down: 0, total: 1536, by_server: { b: { up: 1536, down: 0, total: 1536 } } },
};
// A client as an older coordinator answers it, without the usage fields.
const older = { ...base, email: 'old', traffic: { up: 10, down: 20, total: 30 } };

const hour = (h, up, down) => ({ time: `2026-12-01T${h}:00:00Z`, up, down, total: up + down });

function answer(req, body) {
  const url = new URL(req.url, 'http://stub');
  const p = url.pathname;
  if (req.headers.authorization !== `Bearer ${token}`)
    return [401, { error: { code: 'unauthenticated', message: 'a valid token is required' } }];
  if (req.method === 'GET' && p === '/api/v1/clients/u5') return [200, limited];
  if (req.method === 'GET' && p === '/api/v1/clients/u6') return [200, unlimited];
  if (req.method === 'GET' && p === '/api/v1/clients/old') return [200, older];
  if (req.method === 'POST' && p === '/api/v1/clients/u5/renew') {
    const total = body.set_total_gb ?? 10 + (body.add_gb ?? 0);
    return [200, { ...limited, total_gb: total, enable: true, limited: null,
                   remaining_bytes: total * gib - limited.usage.total }];
  }
  if (req.method === 'POST' && p === '/api/v1/clients/u5/reset-usage')
    return [200, { ...limited, enable: true, limited: null, remaining_bytes: 10 * gib,
                   usage: { up: 0, down: 0, total: 0, by_server: {} } }];
  if (req.method === 'GET' && p === '/api/v1/clients/u5/usage')
    return [200, { email: 'u5', step: url.searchParams.get('step'),
                   from: url.searchParams.get('from') ?? '2026-12-01T12:00:00Z',
                   to: url.searchParams.get('to') ?? '2026-12-01T15:00:00Z',
                   points: [hour('12', 1024, 2048), hour('13', 0, 0), hour('14', gib, 3 * gib)] }];
  if (req.method === 'GET' && p === '/api/v1/users/5')
    return [200, { user_id: '5', clients: [limited, unlimited],
                   usage: { up: 2 * gib + 1536, down: 8 * gib, total: 10 * gib + 1536 } }];
  if (req.method === 'GET' && p === '/api/v1/users/7')
    return [200, { user_id: '7', clients: [], usage: { up: 0, down: 0, total: 0 } }];
  return [404, { error: { code: 'not_found', message: `nothing at ${p}` } }];
}

const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => { raw += d; });
  req.on('end', () => {
    let body = null;
    try { body = raw === '' ? null : JSON.parse(raw); } catch { body = raw; }
    fs.appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, body }) + '\n');
    const [status, reply] = answer(req, body ?? {});
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(reply));
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
