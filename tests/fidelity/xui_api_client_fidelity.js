// Drives fake-xui with the independent npm client 3xui-api-client: login, list inbounds, add a
// client, read its traffic, update it, delete it, on one panel profile. Every step is checked
// against the panel's own state through fake-xui's control API.
// usage: node xui_api_client_fidelity.js BASE_URL CONTROL_URL PANEL_NAME PROFILE
'use strict';
const assert = require('node:assert/strict');
const ThreeXUI = require('3xui-api-client');

const [baseURL, controlURL, panel, profile] = process.argv.slice(2);
let passed = 0;
let failed = 0;

async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${profile}: ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${profile}: ${name}: ${err && err.stack ? err.stack : err}`);
  }
}

async function control(path, body) {
  const res = await fetch(`${controlURL}/_fake/panels/${panel}/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, `control ${path} answered ${res.status}`);
  return res.json();
}

async function emailsOnPanel() {
  const perInbound = await control('clients');
  return Object.values(perInbound).flat();
}

async function main() {
  const api = new ThreeXUI(baseURL, 'admin', 'fidelity-Pass-123', { maxRequestsPerMinute: 10000 });
  const uuid = '5f8a6a52-0c4e-4f7b-9d3e-1a2b3c4d5e6f';
  const modern = profile === 'gen2';

  await step('login', async () => {
    await api.login();
  });
  await step('list inbounds', async () => {
    const list = await api.getInbounds();
    assert.equal(list.success, true);
    assert.equal(list.obj.length, 2);
    assert.equal(list.obj[0].protocol, 'vless');
    const settings = typeof list.obj[0].settings === 'string'
      ? JSON.parse(list.obj[0].settings) : list.obj[0].settings;
    assert.ok(Array.isArray(settings.clients));
    assert.equal(typeof list.obj[0].settings, modern ? 'object' : 'string');
  });
  await step('add client', async () => {
    const client = { id: uuid, email: 'fidelity-user', enable: true, totalGB: 0, expiryTime: 0,
      limitIp: 0, tgId: 0, subId: 'fidelitysub00001', flow: '', reset: 0, comment: '' };
    const res = modern
      ? await api.addModernClient({ client, inboundIds: [1] })
      : await api.addClient({ id: 1, settings: JSON.stringify({ clients: [client] }) });
    assert.equal(res.success, true, res.msg);
    assert.ok((await emailsOnPanel()).includes('fidelity-user'));
  });
  await step('duplicate email is refused with HTTP 200 and success:false', async () => {
    const client = { id: '6f8a6a52-0c4e-4f7b-9d3e-1a2b3c4d5e6f', email: 'FIDELITY-USER', enable: true };
    const res = modern
      ? await api.addModernClient({ client: { ...client, subId: 'othersub' }, inboundIds: [1] })
      : await api.addClient({ id: 1, settings: JSON.stringify({ clients: [client] }) });
    assert.equal(res.success, false);
    assert.match(res.msg, modern ? /already in use/ : /Duplicate email: FIDELITY-USER\n\)$/);
  });
  await step('read traffic', async () => {
    await control('traffic', { email: 'fidelity-user', up: 1234, down: 56789 });
    const res = await api.getClientTrafficsByEmail('fidelity-user');
    assert.equal(res.success, true);
    assert.equal(res.obj.email, 'fidelity-user');
    assert.equal(res.obj.up, 1234);
    assert.equal(res.obj.down, 56789);
  });
  await step('update client', async () => {
    const updated = { id: uuid, email: 'fidelity-user', enable: false, totalGB: 1073741824,
      expiryTime: 0, limitIp: 1, tgId: 0, subId: 'fidelitysub00001', flow: '', reset: 0, comment: 'x' };
    const res = modern
      ? await api.updateModernClient('fidelity-user', updated)
      : await api.updateClient(uuid, { id: 1, settings: JSON.stringify({ clients: [updated] }) });
    assert.equal(res.success, true, res.msg);
    const traffic = await api.getClientTrafficsByEmail('fidelity-user');
    assert.equal(traffic.obj.enable, false);
    assert.equal(traffic.obj.down, 56789);
  });
  await step('delete client', async () => {
    const res = modern
      ? await api.deleteModernClient('fidelity-user')
      : await api.deleteClient(1, uuid);
    assert.equal(res.success, true, res.msg);
    assert.ok(!(await emailsOnPanel()).includes('fidelity-user'));
  });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed === 7 ? 0 : 1);
}

main().catch((err) => {
  console.log(`FAIL ${profile}: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
