// Sodam web chat. It speaks the websocket protocol of docs/protocol.md and
// draws every text it gets with textContent: nothing from a user or the
// catalog is ever parsed as HTML.
(() => {
  'use strict';

  const TOKEN_KEY = 'sodam.token';
  // A new user's default delivery address, near 대학로 where the demo
  // catalog has most of its stores. The server stores it only for a user
  // it does not know yet; the conversation can change it.
  const PROFILE = { address: '서울 종로구 대학로 12', lat: 37.582, lng: 127.0018 };
  const GREETING = '안녕하세요! 동네 주문 도우미 소담이에요.\n음식 주문, 할인 메뉴 찾기, 공연 예매를 도와드려요.';
  const STARTERS = ['근처 치킨집 찾아줘', '오늘 할인하는 메뉴 있어?', '이번 주말 공연 뭐 있어?'];

  const $messages = document.getElementById('messages');
  const $chips = document.getElementById('chips');
  const $form = document.getElementById('composer');
  const $input = document.getElementById('input');
  const $status = document.getElementById('status');

  let ws = null;
  let ready = false; // welcomed on the current connection
  let backoff = 500;
  let typingRow = null;
  const pending = new Map(); // client_msg_id -> text, until answered
  const answered = new Set(); // client_msg_ids already drawn
  const shownSeqs = new Set(); // notices shown, by seq
  const payButtons = new Map(); // payment_id -> button

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
    return e;
  }

  function won(n) {
    return Number(n).toLocaleString('ko-KR') + '원';
  }

  function newID() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
  }

  // safeURL returns url when it is http(s), so that a link can never run
  // script (javascript:) or open another scheme.
  function safeURL(url) {
    try {
      const u = new URL(url, location.href);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '';
    } catch (e) {
      return '';
    }
  }

  function clock() {
    return new Date().toLocaleTimeString('ko-KR', { hour: 'numeric', minute: '2-digit' });
  }

  function scrollDown() {
    $messages.scrollTop = $messages.scrollHeight;
  }

  function setStatus(state, text) {
    $status.dataset.state = state;
    $status.textContent = text;
  }

  // botRow appends an assistant row and returns the column to fill.
  function botRow() {
    const row = el('div', 'row bot');
    row.appendChild(el('div', 'avatar', '소'));
    const stack = el('div', 'stack');
    stack.appendChild(el('div', 'name', '소담'));
    row.appendChild(stack);
    $messages.insertBefore(row, typingRow);
    return stack;
  }

  function addUser(text) {
    const row = el('div', 'row user');
    row.appendChild(el('span', 'time', clock()));
    row.appendChild(el('div', 'bubble', text));
    $messages.insertBefore(row, typingRow);
    scrollDown();
  }

  function notice(text, kind) {
    const n = el('div', 'notice' + (kind ? ' ' + kind : ''), text);
    $messages.insertBefore(n, typingRow);
    scrollDown();
  }

  // broadcast draws a channel's message to its subscribers as a notice
  // of its own: the channel's name over the text.
  function broadcast(f) {
    const box = el('div', 'broadcast');
    const name = f.channel_name || f.channel_id || '채널';
    let text = String(f.text || '');
    const prefix = '[' + name + '] ';
    if (text.startsWith(prefix)) text = text.slice(prefix.length);
    box.appendChild(el('div', 'channel', name + ' · 채널 소식'));
    box.appendChild(el('p', '', text));
    $messages.insertBefore(box, typingRow);
    scrollDown();
  }

  function showTyping(on) {
    if (on && !typingRow) {
      typingRow = el('div', 'row bot typing-row');
      typingRow.appendChild(el('div', 'avatar', '소'));
      const b = el('div', 'bubble typing');
      b.setAttribute('aria-label', '소담이 답장을 쓰고 있어요');
      b.append(el('i'), el('i'), el('i'));
      typingRow.appendChild(b);
      $messages.appendChild(typingRow);
      scrollDown();
    } else if (!on && typingRow) {
      typingRow.remove();
      typingRow = null;
    }
  }

  function setChips(replies) {
    $chips.replaceChildren();
    for (const q of replies || []) {
      const c = el('button', 'chip', q.label);
      c.type = 'button';
      c.addEventListener('click', () => send(q.message_text || q.label));
      $chips.appendChild(c);
    }
  }

  function button(b) {
    if (b.action === 'webLink') {
      const href = safeURL(b.url);
      if (!href) return null;
      const a = el('a', '', b.label);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
    if (b.action === 'phone') {
      const a = el('a', '', b.label);
      a.href = 'tel:' + String(b.phone || '').replace(/[^0-9+]/g, '');
      return a;
    }
    const x = el('button', '', b.label);
    x.type = 'button';
    x.addEventListener('click', () => send(b.message_text || b.label));
    return x;
  }

  function buttons(list) {
    const box = el('div', 'buttons');
    for (const b of list || []) {
      const x = button(b);
      if (x) box.appendChild(x);
    }
    return box.childElementCount ? box : null;
  }

  function card(c) {
    const box = el('div', 'card');
    box.dataset.kind = c.kind || '';
    const img = safeURL(c.image_url || '');
    if (c.image_url && img) {
      const i = el('img');
      i.src = img;
      i.alt = '';
      i.loading = 'lazy';
      box.appendChild(i);
    }
    const body = el('div', 'body');
    body.appendChild(el('h3', '', c.title));
    if (c.description) body.appendChild(el('p', '', c.description));
    if (c.price) {
      const p = el('div', 'price');
      if (c.discount_percent) p.appendChild(el('span', 'off', c.discount_percent + '%'));
      p.appendChild(document.createTextNode(won(c.price)));
      if (c.base_price && c.base_price > c.price) p.appendChild(el('del', '', won(c.base_price)));
      body.appendChild(p);
    }
    box.appendChild(body);
    const bs = buttons(c.buttons);
    if (bs) box.appendChild(bs);
    return box;
  }

  function listCard(l) {
    const box = el('div', 'list');
    if (l.title) box.appendChild(el('h3', '', l.title));
    for (const it of l.items || []) {
      const row = el(it.message_text ? 'button' : 'div', 'item');
      if (it.message_text) {
        row.type = 'button';
        row.addEventListener('click', () => send(it.message_text));
      }
      row.appendChild(el('strong', '', it.title));
      if (it.description) row.appendChild(el('span', '', it.description));
      box.appendChild(row);
    }
    const bs = buttons(l.buttons);
    if (bs) box.appendChild(bs);
    return box;
  }

  function payment(p) {
    const box = el('div', 'pay');
    box.appendChild(el('div', 'amount', won(p.amount)));
    const b = el('button', 'pay-button', p.label || '결제하기');
    b.type = 'button';
    b.dataset.paymentId = p.payment_id;
    const url = safeURL(p.url);
    if (!url) b.disabled = true;
    b.addEventListener('click', () => {
      // A popup keeps the chat open; where popups are blocked the page
      // itself goes to the payment and its return page leads back.
      const w = window.open(url, 'sodam-pay', 'popup,width=420,height=680');
      if (!w) location.assign(url);
    });
    payButtons.set(p.payment_id, b);
    box.appendChild(b);
    return box;
  }

  function drawResponse(r) {
    const stack = botRow();
    if (r.text) stack.appendChild(el('div', 'bubble', r.text));
    const cards = r.cards || [];
    if (cards.length > 1) {
      const car = el('div', 'carousel');
      for (const c of cards) car.appendChild(card(c));
      stack.appendChild(car);
    } else if (cards.length === 1) {
      stack.appendChild(card(cards[0]));
    }
    if (r.list) stack.appendChild(listCard(r.list));
    if (r.payment) stack.appendChild(payment(r.payment));
    setChips(r.quick_replies);
    scrollDown();
  }

  function markPaid(id) {
    const b = payButtons.get(id);
    if (b) {
      b.disabled = true;
      b.textContent = '결제 완료';
    }
  }

  const streaming = new Map(); // reply_to -> the row of a reply being streamed

  function handle(f) {
    switch (f.type) {
      case 'welcome':
        localStorage.setItem(TOKEN_KEY, f.token);
        document.body.dataset.userId = f.user_id;
        ready = true;
        backoff = 500;
        setStatus('open', '연결됨');
        for (const [id, text] of pending) sendFrame(id, text);
        break;
      case 'typing':
        showTyping(f.on);
        break;
      case 'assistant_delta': {
        // A reply being written: shown as text as it comes, replaced by
        // the whole answer when it arrives.
        if (answered.has(f.reply_to)) break;
        let row = streaming.get(f.reply_to);
        if (!row) {
          showTyping(false);
          row = el('div', 'row bot streaming');
          row.appendChild(el('div', 'avatar', '소'));
          row.appendChild(el('div', 'bubble'));
          $messages.appendChild(row);
          streaming.set(f.reply_to, row);
        }
        row.lastChild.textContent += f.text || '';
        scrollDown();
        break;
      }
      case 'assistant_message':
        pending.delete(f.reply_to);
        if (streaming.has(f.reply_to)) {
          streaming.get(f.reply_to).remove();
          streaming.delete(f.reply_to);
        }
        if (answered.has(f.reply_to)) break;
        answered.add(f.reply_to);
        showTyping(false);
        drawResponse(f.response || {});
        break;
      case 'event':
        // A notice is numbered (seq); after reconnecting to another
        // server it may come again, and is shown once.
        if (f.seq) {
          if (shownSeqs.has(f.seq)) break;
          shownSeqs.add(f.seq);
        }
        if (f.event === 'payment_approved') {
          markPaid(f.payment_id);
          notice(f.text || '결제가 완료됐어요. ' + won(f.amount), 'ok');
        } else if (f.event === 'channel_broadcast') {
          broadcast(f);
        } else if (f.text) {
          notice(f.text);
        }
        break;
      case 'error':
        showTyping(false);
        if (f.code === 'unauthorized') {
          // The session is no longer valid: start a new one.
          localStorage.removeItem(TOKEN_KEY);
        }
        if (f.reply_to && f.code !== 'shutting_down') pending.delete(f.reply_to);
        notice(f.message || '문제가 생겼어요.', 'error');
        break;
    }
  }

  function connect() {
    ready = false;
    setStatus('connecting', '연결하는 중…');
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const sock = new WebSocket(proto + '//' + location.host + '/ws');
    ws = sock;
    sock.addEventListener('open', () => {
      sock.send(JSON.stringify({ type: 'hello', token: localStorage.getItem(TOKEN_KEY) || '', profile: PROFILE }));
    });
    sock.addEventListener('message', (e) => {
      let f;
      try {
        f = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      handle(f);
    });
    sock.addEventListener('close', () => {
      if (ws !== sock) return;
      ws = null;
      ready = false;
      showTyping(false);
      setStatus('closed', '연결이 끊겼어요. 다시 연결하는 중…');
      const wait = backoff + Math.random() * backoff / 2;
      backoff = Math.min(backoff * 2, 10000);
      setTimeout(connect, wait);
    });
  }

  function sendFrame(id, text) {
    if (ws && ready && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'user_message', client_msg_id: id, text: text }));
    }
  }

  function send(text) {
    text = String(text || '').trim();
    if (!text) return;
    const id = newID();
    addUser(text);
    setChips([]);
    pending.set(id, text);
    sendFrame(id, text);
  }

  $form.addEventListener('submit', (e) => {
    e.preventDefault();
    send($input.value);
    $input.value = '';
    $input.focus();
  });

  drawResponse({ text: GREETING, quick_replies: STARTERS.map((s) => ({ label: s, message_text: s })) });
  connect();
})();
