// The box's status page: live lines and extensions from /healthz, recent calls after login.
// Plain browser JavaScript, no inline script (CSP default-src 'self'). The full dashboard comes later.

const KIND = { fxo: '线路 FXO line', fxs: '分机 FXS extension', gsm: '手机 GSM line', sip: 'SIP' };
const STATE = { idle: '空闲 Idle', ringing: '振铃 Ringing', dialing: '拨号 Dialing', active: '通话中 In use', error: '故障 Fault' };
const CALL_STATE = {
  ringing: '振铃 Ringing',
  ivr: '语音导航 IVR',
  queued: '排队 Queued',
  connecting: '转接 Connecting',
  talking: '通话 Talking',
  ended: '结束 Ended',
};
const AGENT_STATE = {
  loggedOut: '未登录 Logged out',
  available: '空闲 Available',
  ringing: '振铃 Ringing',
  onCall: '通话中 On call',
  wrapUp: '话后处理 Wrap-up',
  paused: '小休 Paused',
};
const AGENT_CLASS = { loggedOut: 'error', available: 'idle', ringing: 'ringing', onCall: 'active', wrapUp: 'dialing', paused: 'error' };
const OUTCOME = {
  answered: '已接听 Answered',
  abandoned: '放弃 Abandoned',
  missed: '未接 Missed',
  ivrHangup: '导航挂机 IVR hang-up',
  noAgent: '无坐席 No agent',
  callback: '待回拨 Callback',
  notAccepted: '回拨未接通 Callback not accepted',
  voicemail: '留言 Voicemail',
  failed: '失败 Failed',
};

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('callbox-token');

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function refreshHealth() {
  try {
    const h = await (await fetch('/healthz')).json();
    const badge = $('health');
    badge.className = `badge ${h.status}`;
    badge.textContent = h.status === 'ok' ? '运行正常 OK' : '部分故障 Degraded';
    const grid = $('channels');
    grid.replaceChildren(
      ...h.channels.map((c) => {
        const card = el('div', `ch ${c.state}`);
        card.append(el('div', 'id', c.id), el('div', 'kind', KIND[c.kind] || c.kind), el('div', 'state', STATE[c.state] || c.state));
        return card;
      }),
    );
    $('footer').textContent = `callbox ${h.version} · 运行 uptime ${Math.floor(h.uptimeS / 60)} min`;
  } catch {
    $('health').className = 'badge down';
    $('health').textContent = '无法连接 Unreachable';
  }
}

function duration(c) {
  const end = c.endedAt ? Date.parse(c.endedAt) : Date.now();
  const s = Math.max(0, Math.round((end - Date.parse(c.startedAt)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

async function refreshCalls() {
  if (!token) return showLogin(true);
  const r = await fetch('/api/v1/calls?limit=20', { headers: { authorization: `Bearer ${token}` } });
  if (r.status === 401) {
    token = null;
    sessionStorage.removeItem('callbox-token');
    return showLogin(true);
  }
  const { calls } = await r.json();
  showLogin(false);
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const [{ agents }, { queues }] = await Promise.all([
    fetch('/api/v1/agents', auth).then((x) => x.json()),
    fetch('/api/v1/queues', auth).then((x) => x.json()),
  ]);
  $('agents').replaceChildren(
    ...agents.map((a) => {
      const card = el('div', `ch ${AGENT_CLASS[a.state] || ''}`);
      const extra = a.reason ? ` · ${a.reason}` : '';
      card.append(
        el('div', 'id', a.name),
        el('div', 'kind', `${a.extension} · 今日 today ${a.callsToday}`),
        el('div', 'state', `${AGENT_STATE[a.state] || a.state}${extra}`),
      );
      return card;
    }),
  );
  const waiting = queues.reduce((n, q) => n + q.waiting, 0);
  const longest = queues.reduce((m, q) => Math.max(m, q.longestWaitS), 0);
  const ended = calls.filter((c) => c.state === 'ended');
  const answered = ended.filter((c) => c.outcome === 'answered').length;
  const kpis = [
    ['排队中 Waiting', waiting],
    ['最长等待 Longest wait', `${longest} s`],
    ['进行中 Active', calls.length - ended.length],
    ['最近已结束 Recent ended', ended.length],
    ['接通率 Answer rate', ended.length ? `${Math.round((answered / ended.length) * 100)}%` : '—'],
  ];
  $('kpis').replaceChildren(
    ...kpis.map(([label, value]) => {
      const k = el('div', 'kpi');
      k.append(el('b', '', String(value)), el('span', '', label));
      return k;
    }),
  );
  $('calls').replaceChildren(
    ...calls.map((c) => {
      const tr = el('tr');
      const line = c.legs.find((l) => l.role === 'caller');
      tr.append(
        el('td', '', new Date(c.startedAt).toLocaleTimeString()),
        el('td', '', c.callerId || '未知 Unknown'),
        el('td', '', line ? line.channel : ''),
        el('td', '', CALL_STATE[c.state] || c.state),
        el('td', `outcome-${c.outcome}`, c.outcome ? OUTCOME[c.outcome] || c.outcome : ''),
        el('td', '', c.agent || ''),
        el('td', '', duration(c)),
      );
      return tr;
    }),
  );
}

function showLogin(show) {
  $('login').hidden = !show;
  $('calls-box').hidden = show;
}

$('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const r = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
  });
  if (!r.ok) {
    $('login-error').textContent = '用户名或密码错误 Wrong username or password';
    return;
  }
  token = (await r.json()).token;
  sessionStorage.setItem('callbox-token', token);
  $('login-error').textContent = '';
  await refreshCalls();
});

$('logout').addEventListener('click', async () => {
  if (token) await fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  token = null;
  sessionStorage.removeItem('callbox-token');
  showLogin(true);
});

/** Run a refresh, keeping the last view when the box is unreachable for a moment. */
function tick(fn) {
  fn().catch(() => {});
}

tick(refreshHealth);
tick(refreshCalls);
setInterval(() => tick(refreshHealth), 1000);
setInterval(() => tick(refreshCalls), 2000);
