// Building the DOM without innerHTML (every text is a text node: nothing typed can run), and
// the Vietnamese words the leads' web app uses (api/web/format.rs).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const STATUS = {
  not_started: 'Chưa bắt đầu',
  draft: 'Đang làm',
  submitted: 'Đã nộp',
  returned: 'Trả lại',
  approved: 'Đã duyệt',
};

export const badge = (status) => h('span', { class: `badge status-${status}` }, STATUS[status] || status);

// dd/mm/yyyy in Việt Nam's time zone.
export function date(iso) {
  if (!iso) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00+07:00`) : new Date(iso);
  return d.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
}

let drawn = 0;
// Draws `node` as the page's content; focus stays on the control that had it. Each drawing
// is counted on the page (`data-drawn`), so a test can wait for the one its action causes.
export function show(node, title) {
  const main = document.getElementById('noi-dung');
  const focused = document.activeElement?.id;
  main.replaceChildren(node);
  main.dataset.drawn = String(++drawn);
  if (title) document.title = `${title} · Kiểm tra thực địa`;
  if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
}

export function flash(message, kind = 'ok') {
  const main = document.getElementById('noi-dung');
  main.querySelector('.flash')?.remove();
  main.prepend(h('div', { class: `flash flash-${kind}`, role: kind === 'err' ? 'alert' : 'status' }, message));
}
