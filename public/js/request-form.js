// The request form's progressive enhancement (the form works fully without it):
// - the equipment list shows what the chosen room has (data-equipment on the room options);
// - a text longer than its limit is marked at its "höchstens N Zeichen" hint (the server is the judge);
// - the answer to a preview moves the focus to the dates, so they are read out;
// - the time axis: the chosen room's day with busy, requested, closed and free stretches (from
//   /api/v1/availability); start and end are set by tap or drag, or with the arrow keys (Shift for the end),
//   and the time fields follow (and the axis follows the time fields).

function followRoomEquipment(form) {
  const room = form.querySelector('#room');
  const items = [...form.querySelectorAll('[data-equipment-key]')];
  if (!room || !items.length) return;
  const update = () => {
    const option = room.selectedOptions[0];
    const offered = option && option.value ? (option.dataset.equipment || '').split(' ').filter(Boolean) : null;
    for (const item of items) {
      const box = item.querySelector('input');
      // A ticked box stays visible (nothing chosen disappears); the server names what the room has.
      item.hidden = offered !== null && !offered.includes(item.dataset.equipmentKey) && !(box && box.checked);
    }
  };
  room.addEventListener('change', update);
  update();
}

function markLongTexts(form) {
  for (const hint of form.querySelectorAll('[data-limit]')) {
    const field = form.querySelector(`#${hint.id.replace(/-limit$/, '')}`);
    if (!field) continue;
    const max = Number(hint.dataset.limit);
    const update = () => hint.classList.toggle('over-limit', field.value.trim().length > max);
    field.addEventListener('input', update);
    update();
  }
}

function focusAnswer() {
  const answer = document.getElementById('form-answer');
  if (!answer) return;
  const heading = answer.querySelector('h2[tabindex]');
  const target = heading || answer;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  // After the browser has moved to #form-answer itself (which takes the focus away from whatever had it).
  const go = () =>
    setTimeout(() => {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start' });
    }, 0);
  if (document.readyState === 'complete') go();
  else window.addEventListener('load', go, { once: true });
}

// ---- the time axis ----------------------------------------------------------------------------------

const GRID = 15;
const MIN_LENGTH = 30;
const DEFAULT_LENGTH = 120;

const minutesOf = (hhmm) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm || '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};
const hhmm = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const snap = (minutes) => Math.round(minutes / GRID) * GRID;

/** Wall-clock minutes of an ISO instant written with the house zone's offset, clipped to the day `date`. */
function minutesOnDay(iso, date, atEnd) {
  const day = iso.slice(0, 10);
  if (day < date) return 0;
  if (day > date) return 24 * 60;
  const m = minutesOf(iso.slice(11, 16));
  return m === 0 && atEnd ? 0 : m;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function timeAxis(form) {
  const mount = form.querySelector('.time-axis-mount');
  const room = form.querySelector('#room');
  const date = form.querySelector('#date');
  const start = form.querySelector('#start');
  const end = form.querySelector('#end');
  if (!mount || !room || !date || !start || !end || !window.fetch) return;
  const texts = JSON.parse(mount.dataset.texts || '{}');
  let opening = {};
  try {
    opening = JSON.parse(form.dataset.opening || '{}');
  } catch {
    opening = {};
  }

  const help = el('p', 'hint', texts.help);
  help.id = 'time-axis-help';
  const axis = el('div', 'time-axis');
  axis.tabIndex = 0;
  axis.setAttribute('role', 'group');
  axis.setAttribute('aria-label', texts.label);
  axis.setAttribute('aria-describedby', 'time-axis-help time-axis-status');
  const track = el('div', 'time-axis-track');
  const selection = el('div', 'time-axis-selection');
  selection.setAttribute('aria-hidden', 'true');
  const scale = el('div', 'time-axis-scale');
  scale.setAttribute('aria-hidden', 'true');
  const legend = el('ul', 'time-axis-legend');
  for (const kind of ['free', 'busy', 'requested', 'closed']) {
    const li = el('li', `time-axis-key time-axis-key-${kind}`);
    li.append(el('span', `time-axis-swatch time-axis-${kind}`), el('span', '', texts[kind]));
    legend.append(li);
  }
  const status = el('p', 'time-axis-status');
  status.id = 'time-axis-status';
  status.setAttribute('aria-live', 'polite');
  // What is busy, as a list for screen readers (the coloured stretches are hidden from them).
  const list = el('ul', 'visually-hidden time-axis-list');
  track.append(selection);
  axis.append(track, scale);
  mount.append(help, axis, legend, status, list);
  mount.hidden = false;

  // The day shown: its open hours (the axis spans them) and its stretches.
  let day = { from: 0, to: 24 * 60, stretches: [], ready: false };
  let loadedFor = '';

  const weekdayOf = (iso) => {
    const d = new Date(`${iso}T12:00:00Z`);
    return String(((d.getUTCDay() + 6) % 7) + 1);
  };
  const valid = () => room.value && /^\d{4}-\d{2}-\d{2}$/.test(date.value);

  const percent = (m) => ((m - day.from) / (day.to - day.from)) * 100;
  const place = (node, from, to) => {
    node.style.insetInlineStart = `${percent(from)}%`;
    node.style.inlineSize = `${Math.max(0, percent(to) - percent(from))}%`;
  };

  function chosen() {
    const s = minutesOf(start.value);
    let e = end.value === '24:00' ? 24 * 60 : minutesOf(end.value);
    if (s === null || e === null || e <= s) e = null;
    return { s, e };
  }

  function drawSelection() {
    const { s, e } = chosen();
    if (!day.ready || s === null || e === null) {
      selection.hidden = true;
      return;
    }
    selection.hidden = false;
    place(selection, Math.max(day.from, s), Math.min(day.to, e));
  }

  function announce() {
    const { s, e } = chosen();
    status.textContent = s !== null && e !== null ? texts.chosen.replace('{start}', hhmm(s)).replace('{end}', hhmm(e)) : '';
  }

  function draw() {
    for (const old of track.querySelectorAll('.time-axis-stretch')) old.remove();
    scale.replaceChildren();
    list.replaceChildren();
    if (!day.ready) return drawSelection();
    for (const st of day.stretches) {
      const node = el('div', `time-axis-stretch time-axis-${st.kind}`);
      node.setAttribute('aria-hidden', 'true');
      place(node, st.from, st.to);
      track.insertBefore(node, selection);
      if (st.kind !== 'free') list.append(el('li', '', `${hhmm(st.from)}–${hhmm(st.to)}: ${texts[st.kind]}`));
    }
    // An hour mark every hour, or every second hour where the axis is narrow (a phone).
    const every = track.getBoundingClientRect().width < 520 ? 120 : 60;
    for (let h = Math.ceil(day.from / every) * every; h <= day.to; h += every) {
      const tick = el('span', 'time-axis-tick', String(h / 60));
      tick.style.insetInlineStart = `${percent(h)}%`;
      scale.append(tick);
    }
    drawSelection();
  }

  async function load() {
    if (!valid()) {
      day = { from: 0, to: 24 * 60, stretches: [], ready: false };
      status.textContent = texts.noDay;
      draw();
      return;
    }
    const key = `${room.value}|${date.value}`;
    if (key === loadedFor) return;
    loadedFor = key;
    status.textContent = texts.loading;
    const url = `${form.dataset.availability}?from=${date.value}&to=${date.value}&room=${encodeURIComponent(room.value)}`;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      const data = await res.json();
      if (key !== loadedFor) return;
      const hours = opening[weekdayOf(date.value)];
      const from = hours ? minutesOf(hours.open) : 0;
      const to = hours ? (hours.close === '24:00' ? 24 * 60 : minutesOf(hours.close)) : 24 * 60;
      const taken = [];
      if (!hours) taken.push({ from, to, kind: 'closed' });
      for (const b of data.busy || []) {
        const kind = b.status === 'closed' ? 'closed' : b.status === 'pending' ? 'requested' : 'busy';
        const s = Math.max(from, minutesOnDay(b.start, date.value, false));
        let e = minutesOnDay(b.end, date.value, true);
        if (e === 0) e = 24 * 60;
        e = Math.min(to, e);
        if (e > s) taken.push({ from: s, to: e, kind });
      }
      taken.sort((a, b) => a.from - b.from);
      const stretches = [];
      let at = from;
      for (const t of taken) {
        if (t.from > at) stretches.push({ from: at, to: t.from, kind: 'free' });
        stretches.push(t);
        at = Math.max(at, t.to);
      }
      if (at < to) stretches.push({ from: at, to, kind: 'free' });
      day = { from, to, stretches, ready: true };
      draw();
      announce();
    } catch {
      loadedFor = '';
      day = { from: 0, to: 24 * 60, stretches: [], ready: false };
      status.textContent = texts.failed;
      draw();
    }
  }

  function set(s, e) {
    s = Math.max(day.from, Math.min(day.to - MIN_LENGTH, s));
    e = Math.max(s + MIN_LENGTH, Math.min(day.to, e));
    start.value = hhmm(s);
    end.value = hhmm(e);
    drawSelection();
    announce();
  }

  // Pointer: a tap chooses the next two hours from there; a drag chooses from where it began to where it ends.
  const minutesAt = (clientX) => {
    const r = track.getBoundingClientRect();
    const rtl = getComputedStyle(axis).direction === 'rtl';
    const x = rtl ? r.right - clientX : clientX - r.left;
    return snap(day.from + (Math.max(0, Math.min(r.width, x)) / r.width) * (day.to - day.from));
  };
  let dragFrom = null;
  let dragged = false;
  axis.addEventListener('pointerdown', (ev) => {
    if (!day.ready) return;
    ev.preventDefault();
    axis.focus({ preventScroll: true });
    dragFrom = minutesAt(ev.clientX);
    dragged = false;
    axis.setPointerCapture(ev.pointerId);
  });
  axis.addEventListener('pointermove', (ev) => {
    if (dragFrom === null) return;
    const m = minutesAt(ev.clientX);
    if (Math.abs(m - dragFrom) < GRID) return;
    dragged = true;
    set(Math.min(dragFrom, m), Math.max(dragFrom, m));
  });
  const finish = (ev) => {
    if (dragFrom === null) return;
    if (!dragged) set(dragFrom, dragFrom + DEFAULT_LENGTH);
    else {
      const m = minutesAt(ev.clientX);
      set(Math.min(dragFrom, m), Math.max(dragFrom, m));
    }
    dragFrom = null;
  };
  axis.addEventListener('pointerup', finish);
  axis.addEventListener('pointercancel', () => (dragFrom = null));

  // Keyboard: arrows move the start (the length kept), Shift+arrows the end; Home/End go to the day's edges.
  axis.addEventListener('keydown', (ev) => {
    if (!day.ready) return;
    const forward = ev.key === 'ArrowRight' || ev.key === 'ArrowUp';
    const back = ev.key === 'ArrowLeft' || ev.key === 'ArrowDown';
    if (!forward && !back && ev.key !== 'Home' && ev.key !== 'End') return;
    ev.preventDefault();
    const rtl = getComputedStyle(axis).direction === 'rtl';
    let step = forward ? GRID : back ? -GRID : 0;
    if (rtl && (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft')) step = -step;
    let { s, e } = chosen();
    if (s === null || e === null) {
      s = Math.max(day.from, snap(s ?? day.from));
      e = s + DEFAULT_LENGTH;
    }
    if (ev.key === 'Home') return ev.shiftKey ? set(s, s + MIN_LENGTH) : set(day.from, day.from + (e - s));
    if (ev.key === 'End') return ev.shiftKey ? set(s, day.to) : set(day.to - (e - s), day.to);
    if (ev.shiftKey) set(s, Math.max(s + MIN_LENGTH, e + step));
    else {
      const length = e - s;
      const ns = Math.max(day.from, Math.min(day.to - length, s + step));
      set(ns, ns + length);
    }
  });

  for (const input of [start, end]) {
    input.addEventListener('input', () => {
      drawSelection();
      announce();
    });
  }
  for (const input of [room, date]) input.addEventListener('change', load);
  window.addEventListener('resize', () => day.ready && draw());
  load();
}

// Started last: the helpers above are constants that must exist first.
const form = document.getElementById('request-form');
if (form) {
  followRoomEquipment(form);
  markLongTexts(form);
  focusAnswer();
  timeAxis(form);
}
