// The inspection's recommendations (kiến nghị): the team's, as pulled, and the inspector's
// own not sent yet; a form to add one or change one, checked as the server checks it. While
// the inspection is being filled any of them can be changed (`recommendation.update`); one
// still on the phone only can also be taken back. Sent ones are never deleted from here.
import { h, date, flash } from '../ui.js';
import { addRecommendation, dropRecommendation, editRecommendation } from '../model.js';
import { checkRecommendation, FOLLOW_UP, MAX_CONTENT } from '../recommendation.js';
import { all, getMeta } from '../store.js';

function entry(insp, r, units, me, editable, rerender, onEdit) {
  const unit = r.responsible_unit_id ? units.find((u) => u.id === r.responsible_unit_id) : null;
  const who = [unit?.name, r.responsible].filter(Boolean).join(' · ');
  const mine = r.mine || r.created_by === me;
  return h('li', { class: 'recommendation', 'data-recommendation': r.id },
    h('p', { class: 'rec-content' }, r.content),
    who ? h('p', { class: 'muted' }, `Chịu trách nhiệm: ${who}`) : null,
    r.due_on ? h('p', { class: 'muted' }, `Hạn: ${date(r.due_on)}`) : null,
    h('p', { class: 'states' },
      h('span', { class: 'badge' }, FOLLOW_UP[r.follow_up] || FOLLOW_UP.open),
      h('span', { class: 'badge' }, mine ? 'Bạn ghi' : 'Thành viên đoàn ghi'),
      r.pending ? h('span', { class: 'badge chua-gui' }, 'Chưa gửi') : null),
    editable ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => onEdit(r) }, 'Sửa kiến nghị') : null,
    editable && r.pending && !r.sent && !r.edited ? h('button', {
      type: 'button', class: 'btn btn-small',
      onclick: async () => {
        if (!window.confirm('Bỏ kiến nghị này? Kiến nghị chưa gửi lên máy chủ nên sẽ bị xoá hẳn.')) return;
        const dropped = await dropRecommendation(insp.id, r.id);
        await rerender();
        if (!dropped) flash('Kiến nghị đã được gửi đi nên không bỏ được trên máy; trưởng đoàn sửa trên web.', 'err');
      },
    }, 'Bỏ kiến nghị') : null);
}

// The add form, or the change form of `editing` (prefilled; "Huỷ" goes back to adding).
function form(insp, unitOwn, units, rerender, editing = null) {
  const field = (id, label, control, hint) => h('div', { class: 'field' },
    h('label', { for: id }, label), hint ? h('p', { class: 'hint', id: `${id}-goi-y` }, hint) : null, control,
    h('p', { id: `${id}-loi`, class: 'flash flash-err', role: 'alert', hidden: true }));
  const content = h('textarea', { id: 'kn-content', rows: 3, maxlength: MAX_CONTENT, 'aria-describedby': 'kn-content-loi' }, editing?.content || '');
  // The inspected unit first: it is the usual one responsible.
  const others = units.filter((u) => u.id !== unitOwn?.id).sort((a, b) => (a.name || '').localeCompare(b.name || '', 'vi'));
  const unit = h('select', { id: 'kn-unit', 'aria-describedby': 'kn-unit-loi' },
    h('option', { value: '' }, '— Không chọn —'),
    unitOwn ? h('option', { value: unitOwn.id }, unitOwn.name) : null,
    others.map((u) => h('option', { value: u.id }, u.name)));
  const responsible = h('input', { id: 'kn-responsible', type: 'text', autocomplete: 'off', 'aria-describedby': 'kn-responsible-goi-y', value: editing?.responsible || '' });
  const due = h('input', { id: 'kn-due', type: 'date', 'aria-describedby': 'kn-due-loi', value: editing?.due_on || '' });
  unit.value = editing?.responsible_unit_id || '';
  const names = { content: 'kn-content', responsible_unit_id: 'kn-unit', due_on: 'kn-due' };
  return h('form', {
    class: 'rec-form', novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      const { fields, problems } = checkRecommendation({
        content: content.value, responsible_unit_id: unit.value, responsible: responsible.value, due_on: due.value,
      }, units.map((u) => u.id));
      for (const [k, id] of Object.entries(names)) {
        const el = document.getElementById(`${id}-loi`);
        el.textContent = problems[k] || '';
        el.hidden = !problems[k];
        document.getElementById(id).setAttribute('aria-invalid', String(!!problems[k]));
      }
      if (Object.keys(problems).length) return;
      if (editing) await editRecommendation(insp.id, editing.id, fields);
      else await addRecommendation(insp.id, fields);
      await rerender();
      flash(editing ? 'Đã sửa kiến nghị. Thay đổi được gửi lên khi có mạng.' : 'Đã ghi kiến nghị. Kiến nghị được gửi lên khi có mạng.');
    },
  },
  h('h3', {}, editing ? 'Sửa kiến nghị' : 'Thêm kiến nghị'),
  editing ? h('p', { class: 'hint' }, 'Ô để trống giữ nguyên nội dung đã có trên máy chủ.') : null,
  field('kn-content', 'Nội dung kiến nghị', content),
  field('kn-unit', 'Đơn vị chịu trách nhiệm', unit),
  field('kn-responsible', 'Người hoặc bộ phận thực hiện', responsible, 'Ghi thêm nếu không phải cả đơn vị (không bắt buộc).'),
  field('kn-due', 'Hạn thực hiện', due),
  h('button', { type: 'submit', class: 'btn btn-primary' }, editing ? 'Lưu thay đổi' : 'Lưu kiến nghị'),
  editing ? h('button', { type: 'button', class: 'btn', onclick: () => rerender() }, 'Huỷ') : null);
}

export async function recommendationsCard(insp, editable, rerender) {
  const units = await all('unit');
  const me = (await getMeta('session'))?.user?.id;
  const own = units.find((u) => u.id === insp.unit_id);
  const list = [...insp.recommendations].sort((a, b) => (a.created_at || '9').localeCompare(b.created_at || '9'));
  const slot = h('div', { class: 'rec-form-slot' }, editable ? form(insp, own, units, rerender) : null);
  // "Sửa kiến nghị" swaps the add form for the change form, in place, and brings it into view.
  const onEdit = (r) => {
    slot.replaceChildren(form(insp, own, units, rerender, r));
    slot.scrollIntoView({ block: 'start' });
    document.getElementById('kn-content')?.focus();
  };
  return h('section', { class: 'card', 'aria-labelledby': 'kien-nghi' },
    h('h2', { id: 'kien-nghi' }, `Kiến nghị (${list.length})`),
    list.length ? h('ul', { class: 'recs' }, list.map((r) => entry(insp, r, units, me, editable, rerender, onEdit)))
      : h('p', { class: 'muted' }, 'Chưa có kiến nghị nào.'),
    h('p', { class: 'hint' }, 'Kiến nghị sửa được khi phiếu đang làm hoặc bị trả lại; kiến nghị đã gửi không xoá được.'),
    slot);
}
