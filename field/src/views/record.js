// The biên bản record of an inspection: where and when the team met the unit, the team's
// members present and the unit's attendees. Each field is sent as its own
// `inspection.update` field (merged field by field, like the findings); values are checked
// here as the server checks them (record.js) and an unfit one stays on the screen, unsent,
// with its problem. A saved value is not followed by a redrawing of the page (the inputs
// already show it), so nothing typed meanwhile in the next field is lost.
import { h } from '../ui.js';
import { setField } from '../model.js';
import { heldAt, heldAtParts, people, placeProblem, MAX_PEOPLE } from '../record.js';

function problemLine(id, text) {
  return h('p', { id, class: 'flash flash-err', role: 'alert', hidden: !text }, text || '');
}

function say(el, text) {
  el.textContent = text || '';
  el.hidden = !text;
}

function place(insp, editable) {
  const err = problemLine('bb-place-loi');
  return h('div', { class: 'field' },
    h('label', { for: 'bb-place' }, 'Địa điểm'),
    h('input', {
      id: 'bb-place', type: 'text', autocomplete: 'off', disabled: !editable, value: insp.place || '',
      'aria-describedby': 'bb-place-loi',
      onchange: async (ev) => {
        const problem = placeProblem(ev.target.value);
        say(err, problem);
        if (problem) return;
        ev.target.value = ev.target.value.normalize('NFC').trim();
        await setField(insp.id, 'place', ev.target.value);
      },
    }),
    err);
}

function when(insp, editable) {
  const parts = heldAtParts(insp.held_at);
  const err = problemLine('bb-gio-loi');
  const save = async () => {
    const r = heldAt(dateInput.value, timeInput.value);
    say(err, r.problem);
    dateInput.setAttribute('aria-invalid', String(r.field === 'date'));
    timeInput.setAttribute('aria-invalid', String(r.field === 'time'));
    if (r.problem) return;
    // Shown as it will read back (8h30 → 08:30); the page is not redrawn under the typist.
    const back = heldAtParts(r.value);
    dateInput.value = back.date;
    timeInput.value = back.time;
    await setField(insp.id, 'held_at', r.value);
  };
  const dateInput = h('input', {
    id: 'bb-ngay', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', autocomplete: 'off',
    disabled: !editable, value: parts.date, 'aria-describedby': 'bb-gio-loi', onchange: save,
  });
  const timeInput = h('input', {
    id: 'bb-gio', type: 'text', inputmode: 'numeric', placeholder: '08:30', autocomplete: 'off',
    disabled: !editable, value: parts.time, 'aria-describedby': 'bb-gio-loi', onchange: save,
  });
  return h('fieldset', { class: 'when' },
    h('legend', {}, 'Thời gian làm việc (giờ Việt Nam)'),
    h('div', { class: 'row2' },
      h('div', { class: 'field' }, h('label', { for: 'bb-ngay' }, 'Ngày (dd/mm/yyyy)'), dateInput),
      h('div', { class: 'field' }, h('label', { for: 'bb-gio' }, 'Giờ (giờ:phút)'), timeInput)),
    err);
}

// One list of people: a name and a title per row, a row added empty (saved once its name is
// typed), each row removable (the list is redrawn then, to number its rows again).
// `field`: members or attendees.
function peopleList(insp, field, legend, editable, rerender) {
  const list = h('ol', { class: 'people' });
  const err = problemLine(`bb-${field}-loi`);
  const rows = () => [...list.querySelectorAll('li')].map((li) => ({
    name: li.querySelector('.p-name').value, title: li.querySelector('.p-title').value,
  }));
  const save = async (afterRemoval) => {
    const r = people(rows());
    say(err, r.problems.map((p) => (p.row === null ? p.message : `Dòng ${p.row + 1}: ${p.message}`)).join(' '));
    if (r.problems.length) return;
    await setField(insp.id, field, r.value);
    if (afterRemoval) rerender();
  };
  const row = (p, i) => {
    const id = `bb-${field}-${i}`;
    const li = h('li', { class: 'person' },
      h('div', { class: 'field' }, h('label', { for: `${id}-ten` }, `Họ và tên (${i + 1})`),
        h('input', { id: `${id}-ten`, class: 'p-name', type: 'text', autocomplete: 'off', disabled: !editable, value: p.name || '', onchange: () => save(false) })),
      h('div', { class: 'field' }, h('label', { for: `${id}-cv` }, `Chức vụ (${i + 1})`),
        h('input', { id: `${id}-cv`, class: 'p-title', type: 'text', autocomplete: 'off', disabled: !editable, value: p.title || '', onchange: () => save(false) })),
      editable ? h('button', {
        type: 'button', class: 'btn btn-small', 'aria-label': `Bỏ người này (${legend}, dòng ${i + 1})`,
        onclick: () => { li.remove(); save(true); },
      }, 'Bỏ người này') : null);
    return li;
  };
  const current = Array.isArray(insp[field]) ? insp[field] : [];
  const none = h('p', { class: 'muted' }, 'Chưa có ai.');
  // Ids and labels number rows as they were made (a row taken out leaves a gap until the
  // next drawing), so no two rows share an id.
  let made = 0;
  current.forEach((p) => list.append(row(p, made++)));
  const add = editable ? h('button', {
    type: 'button', class: 'btn', id: `bb-${field}-them`,
    onclick: () => {
      if (list.children.length >= MAX_PEOPLE) return say(err, `Tối đa ${MAX_PEOPLE} người.`);
      const n = made++;
      list.append(row({}, n));
      none.remove();
      document.getElementById(`bb-${field}-${n}-ten`)?.focus();
      return null;
    },
  }, 'Thêm người') : null;
  return h('fieldset', { class: 'people-list' },
    h('legend', {}, legend),
    current.length ? null : none,
    list, err, add);
}

export function recordCard(insp, editable, rerender) {
  return h('section', { class: 'card', 'aria-labelledby': 'bien-ban' },
    h('h2', { id: 'bien-ban' }, 'Biên bản làm việc'),
    place(insp, editable),
    when(insp, editable),
    peopleList(insp, 'members', 'Thành phần đoàn kiểm tra', editable, rerender),
    peopleList(insp, 'attendees', 'Đại diện đơn vị', editable, rerender));
}
