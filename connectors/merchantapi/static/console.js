// The merchant console: it keeps the API key in the tab's session
// storage, polls the inbox every second so new orders appear without a
// reload, and draws every text with textContent.
(function () {
  'use strict';
  const KEY = 'sodam.merchant.key';
  const $ = (id) => document.getElementById(id);
  let key = sessionStorage.getItem(KEY) || '';
  let tab = 'orders';
  let seen = new Set();
  let timer = null;

  const won = (n) => Number(n || 0).toLocaleString('ko-KR') + '원';
  const when = (s) => s ? new Date(s).toLocaleString('ko-KR', { timeZone: 'Asia/Seoul' }) : '';

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function button(label, fn, cls) {
    const b = el('button', label, cls);
    b.type = 'button';
    b.addEventListener('click', fn);
    return b;
  }
  function flash(text, bad) {
    const f = $('flash');
    f.textContent = text;
    f.className = bad ? 'error' : '';
  }

  async function call(method, path, body) {
    const opt = { method, headers: { Authorization: 'Bearer ' + key } };
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    const res = await fetch('/v1/merchant/' + path, opt);
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const msg = (data.error && data.error.message) || '요청이 실패했어요.';
      if (res.status === 401) logout(msg);
      throw new Error(msg);
    }
    return data;
  }
  async function act(method, path, body, done) {
    try {
      await call(method, path, body);
      flash(done);
      refresh();
    } catch (e) {
      flash(e.message, true);
    }
  }

  // Orders.
  const NEXT = { paid: ['accepted', '접수'], accepted: ['cooking', '조리 시작'], cooking: ['delivering', '배달 출발'], delivering: ['delivered', '배달 완료'] };
  async function loadOrders() {
    const all = $('all-orders').checked;
    const orders = await call('GET', 'orders' + (all ? '?status=all' : ''));
    const ul = $('orders');
    ul.replaceChildren();
    let fresh = 0;
    for (const o of orders) {
      const li = el('li');
      li.dataset.order = o.id;
      if (o.status === 'paid') fresh++;
      if (!seen.has(o.id) && o.status === 'paid') li.classList.add('new');
      seen.add(o.id);
      const head = el('div', null, 'row');
      head.append(el('strong', o.id), el('span', o.status_text, 'status ' + o.status));
      li.append(head);
      for (const l of o.items || []) {
        const opts = (l.options || []).length ? ' (' + l.options.join(', ') + ')' : '';
        li.append(el('div', l.name + opts + ' × ' + l.quantity + ' — ' + won(l.line_total)));
      }
      li.append(el('div', '합계 ' + won(o.total) + ' · ' + (o.address || '주소 없음'), 'muted'));
      li.append(el('div', '결제 ' + when(o.paid_at), 'muted'));
      const acts = el('div', null, 'actions');
      const next = NEXT[o.status];
      if (next) {
        acts.append(button(next[1], () => act('POST', 'orders/' + o.id + (next[0] === 'accepted' ? '/accept' : '/status'),
          next[0] === 'accepted' ? undefined : { status: next[0] }, o.id + ' 주문을 ' + next[1] + '했어요.'), 'step-' + next[0]));
      }
      if (o.status === 'paid' || o.status === 'accepted') {
        acts.append(button('거절', () => {
          const reason = prompt('거절 사유를 적어 주세요. 결제는 바로 환불돼요.');
          if (reason) act('POST', 'orders/' + o.id + '/reject', { reason }, o.id + ' 주문을 거절하고 환불했어요.');
        }, 'reject'));
      }
      li.append(acts);
      ul.append(li);
    }
    $('badge-orders').textContent = fresh ? String(fresh) : '';
    if (!orders.length) ul.append(el('li', '진행 중인 주문이 없어요.', 'muted'));
  }

  // Complaints and inquiries.
  async function loadSupport() {
    const [cs, qs] = await Promise.all([call('GET', 'complaints?all=1'), call('GET', 'inquiries?all=1')]);
    const ul = $('complaints');
    ul.replaceChildren();
    let open = 0;
    for (const c of cs) {
      if (c.status === 'open') open++;
      const li = el('li');
      li.dataset.complaint = c.id;
      li.append(el('strong', c.id + ' · ' + (c.status === 'open' ? '처리 중' : '해결됨')));
      li.append(el('div', c.text || c.type));
      if (c.order) li.append(el('div', '주문 ' + c.order.id + ' · ' + won(c.order.total) + ' · ' + c.order.status, 'muted'));
      if (c.reply) li.append(el('div', '답변: ' + c.reply, 'muted'));
      if (c.status === 'open') {
        const ta = el('textarea');
        ta.placeholder = '고객에게 보낼 답변';
        li.append(ta, el('div', null, 'actions'));
        li.lastChild.append(
          button('답변하고 해결', () => act('POST', 'complaints/' + c.id + '/reply', { reply: ta.value, resolve: true }, '답변을 보냈어요.')),
          button('해결로 표시', () => act('POST', 'complaints/' + c.id + '/resolve', undefined, '해결로 표시했어요.')));
      }
      ul.append(li);
    }
    if (!cs.length) ul.append(el('li', '불편 사항이 없어요.', 'muted'));
    const qul = $('inquiries');
    qul.replaceChildren();
    for (const q of qs) {
      if (q.status === 'open') open++;
      const li = el('li');
      li.append(el('strong', q.question));
      for (const line of q.context || []) li.append(el('div', '· ' + line, 'muted'));
      if (q.answer) li.append(el('div', '답변: ' + q.answer));
      else {
        const ta = el('textarea');
        ta.placeholder = '답변';
        li.append(ta, button('답변 보내기', () => act('POST', 'inquiries/' + q.id + '/answer', { answer: ta.value }, '답변을 보냈어요.')));
      }
      qul.append(li);
    }
    if (!qs.length) qul.append(el('li', '문의가 없어요.', 'muted'));
    $('badge-support').textContent = open ? String(open) : '';
  }

  // Menu.
  async function loadMenu() {
    const items = await call('GET', 'menu');
    const tb = $('menu');
    tb.replaceChildren();
    for (const it of items) {
      const tr = el('tr');
      const price = el('input');
      price.type = 'number'; price.min = '0'; price.step = '10'; price.value = it.price;
      const pct = el('input');
      pct.type = 'number'; pct.min = '0'; pct.max = '100'; pct.value = it.discount_percent || 0; pct.style.width = '4rem';
      const until = el('input');
      until.type = 'datetime-local';
      if (it.discount_until) until.value = it.discount_until.slice(0, 16);
      const sold = el('input');
      sold.type = 'checkbox'; sold.checked = !!it.sold_out;
      const save = button('저장', () => {
        const edit = { price: Number(price.value), sold_out: sold.checked, discount_percent: Number(pct.value) };
        if (until.value) edit.discount_until = until.value + ':00+09:00';
        act('PATCH', 'menu/' + encodeURIComponent(it.id), edit, it.name + ' 메뉴를 바꿨어요.');
      });
      const disc = el('td');
      disc.append(pct, el('span', '% ~ '), until);
      const c1 = el('td'); c1.append(price);
      const c2 = el('td'); c2.append(sold);
      const c3 = el('td'); c3.append(save);
      tr.append(el('td', it.name), c1, disc, c2, c3);
      tb.append(tr);
    }
  }

  // Events.
  async function loadEvents() {
    const evs = await call('GET', 'events');
    const box = $('events');
    box.replaceChildren();
    if (!evs.length) box.append(el('p', '이 채널의 공연이 없어요.', 'muted'));
    for (const v of evs) {
      box.append(el('h3', v.event.title));
      const t = el('table');
      for (const s of v.sessions) {
        for (const [g, seat] of Object.entries(s.seats)) {
          const tr = el('tr');
          tr.append(el('td', when(s.starts_at)), el('td', g + '석'), el('td', won(seat.price)), el('td', '남은 좌석 ' + seat.available));
          t.append(tr);
        }
      }
      box.append(t);
      const bs = await call('GET', 'events/' + encodeURIComponent(v.event.id) + '/bookings');
      const ul = el('ul', null, 'cards');
      for (const b of bs) ul.append(el('li', b.id + ' · ' + b.seat_grade + '석 ' + b.ticket_count + '장 · ' + won(b.total) + ' · ' + b.status));
      box.append(ul);
    }
  }

  // Broadcasts.
  async function loadNews() {
    const [me, bs] = await Promise.all([call('GET', 'me'), call('GET', 'broadcasts')]);
    $('audience').textContent = '구독자 ' + me.audience + '명';
    const ul = $('broadcasts');
    ul.replaceChildren();
    for (const b of bs) {
      const li = el('li');
      li.append(el('div', b.text), el('div', when(b.created_at) + ' · ' + b.audience + '명에게 보냄', 'muted'));
      ul.append(li);
    }
  }

  // Settlement.
  async function loadSettlement() {
    const date = $('settle-date').value;
    if (!date) return;
    const s = await call('GET', 'settlement?date=' + date);
    const box = $('settlement');
    box.replaceChildren();
    const t = el('table', null, 'figures');
    for (const [label, v] of [['매출', s.gross], ['환불', -s.refunds], ['순매출', s.net],
      ['수수료 (' + (s.commission_bp / 100) + '%, 주문마다 원 미만 버림)', -s.commission], ['정산 금액', s.payout]]) {
      const tr = el('tr');
      tr.append(el('td', label), el('td', won(v)));
      t.append(tr);
    }
    box.append(t);
    for (const [title, lines] of [['매출 내역', s.sales], ['환불 내역', s.refund_lines]]) {
      box.append(el('h3', title + ' (' + lines.length + '건)'));
      const ul = el('ul', null, 'cards');
      for (const l of lines) ul.append(el('li', (l.order_id || l.booking_id) + ' · ' + won(l.amount) + ' · 수수료 ' + won(l.commission) + ' · ' + when(l.at)));
      box.append(ul);
    }
  }

  const loaders = { orders: loadOrders, support: loadSupport, menu: loadMenu, events: loadEvents, news: loadNews, settle: loadSettlement };
  async function refresh() {
    if (!key) return;
    try {
      await loaders[tab]();
      if (tab !== 'orders') await loadOrders();
    } catch (e) {
      flash(e.message, true);
    }
  }
  function poll() {
    clearInterval(timer);
    // Orders and the complaint badge stay live without a reload.
    timer = setInterval(() => {
      if (!key) return;
      loadOrders().catch((e) => flash(e.message, true));
      if (tab === 'support') loadSupport().catch(() => {});
    }, 1000);
  }

  async function login(k) {
    key = k;
    try {
      const me = await call('GET', 'me');
      sessionStorage.setItem(KEY, key);
      $('who').textContent = me.account.name + ' (' + me.account.channel_id + ')';
      $('audience').textContent = '구독자 ' + me.audience + '명';
      $('login').hidden = true;
      $('app').hidden = false;
      $('logout').hidden = false;
      $('login-error').textContent = '';
      refresh();
      poll();
    } catch (e) {
      key = '';
      $('login-error').textContent = e.message;
    }
  }
  function logout(msg) {
    key = '';
    sessionStorage.removeItem(KEY);
    clearInterval(timer);
    $('login').hidden = false;
    $('app').hidden = true;
    $('logout').hidden = true;
    $('login-error').textContent = msg || '';
  }

  $('login-form').addEventListener('submit', (e) => { e.preventDefault(); login($('key').value.trim()); });
  $('logout').addEventListener('click', () => logout());
  $('all-orders').addEventListener('change', refresh);
  for (const b of document.querySelectorAll('nav button')) {
    b.addEventListener('click', () => {
      tab = b.dataset.tab;
      for (const x of document.querySelectorAll('nav button')) x.classList.toggle('on', x === b);
      for (const p of document.querySelectorAll('[data-panel]')) p.hidden = p.dataset.panel !== tab;
      flash('');
      refresh();
    });
  }
  $('new-item').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target;
    act('POST', 'menu', { name: f.name.value, price: Number(f.price.value) }, f.name.value + ' 메뉴를 추가했어요.');
    f.reset();
  });
  $('broadcast').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target;
    act('POST', 'broadcasts', { text: f.text.value }, '소식을 보냈어요.');
    f.reset();
  });
  $('settle-form').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  $('settle-date').value = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  if (key) login(key);
})();
