// The inspector's rounds and, in each, the units assigned to their teams with the state of
// each inspection: the app's first page, read from the local store alone.
import { h, show, badge, date } from '../ui.js';
import { rounds, roundUnits, createInspection } from '../model.js';

export async function homeView(go) {
  const list = await rounds();
  const parts = [h('h1', {}, 'Đợt kiểm tra của tôi')];
  if (!list.length) parts.push(h('p', { class: 'muted' }, 'Chưa có đợt kiểm tra nào được giao cho đoàn của bạn.'));
  for (const r of list) {
    const units = await roundUnits(r.id);
    parts.push(h('section', { class: 'card round', 'aria-labelledby': `dot-${r.id}` },
      h('h2', { id: `dot-${r.id}` }, r.name),
      h('p', { class: 'muted' }, `${date(r.starts_on)} – ${date(r.ends_on)}`, r.status !== 'open' ? ' · Đợt đã đóng' : ''),
      h('ul', { class: 'units' }, units.map(({ unit, inspection }) => h('li', {},
        inspection
          ? h('a', { class: 'unit-link', href: `#/phieu/${inspection.id}` },
            h('span', { class: 'unit-name' }, unit?.name || 'Đơn vị'), ' ',
            badge(inspection.status), inspection.pending ? h('span', { class: 'badge chua-gui' }, 'Chưa gửi') : null)
          : h('button', {
            type: 'button', class: 'btn unit-link', disabled: r.status !== 'open',
            onclick: async () => go(`#/phieu/${await createInspection(r.id, unit.id)}`),
          }, h('span', { class: 'unit-name' }, unit?.name || 'Đơn vị'), ' ', h('span', { class: 'badge' }, 'Bắt đầu kiểm tra')),
      )))));
  }
  show(h('div', {}, parts), 'Đợt kiểm tra');
}
