// One checklist item's controls, by kind (docs/checklists.md): every control is a real form
// element with its label, big enough for a thumb, and reports its value through `set`.
import { h } from '../ui.js';
import { invalid } from '../checklist.js';

const rid = (item, suffix = '') => `muc-${item.id.replace(/[^a-z0-9_-]/gi, '-')}${suffix}`;

function choices(item, answer, set, disabled, multi) {
  const chosen = multi ? new Set(Array.isArray(answer.value) ? answer.value : []) : answer.value;
  const opts = item.type === 'yes_no' ? [{ value: 'yes', label: 'Có' }, { value: 'no', label: 'Không' }] : item.options || [];
  return h('div', { class: 'choices', role: multi ? 'group' : 'radiogroup', 'aria-labelledby': rid(item, '-nhan') },
    opts.map((o, i) => {
      const id = rid(item, `-${i}`);
      const checked = multi ? chosen.has(o.value) : chosen === o.value;
      return h('label', { class: 'choice', for: id },
        h('input', {
          id, type: multi ? 'checkbox' : 'radio', name: rid(item), value: o.value, checked, disabled,
          onchange: (ev) => {
            if (!multi) return set(o.value);
            const next = new Set(chosen);
            if (ev.target.checked) next.add(o.value); else next.delete(o.value);
            return set(opts.map((x) => x.value).filter((v) => next.has(v)));
          },
        }),
        h('span', {}, o.label));
    }));
}

function control(item, answer, set, disabled) {
  const id = rid(item, '-nhap');
  const common = { id, disabled, 'aria-labelledby': rid(item, '-nhan') };
  switch (item.type) {
    case 'yes_no':
    case 'single_choice':
      return choices(item, answer, set, disabled, false);
    case 'multi_choice':
      return choices(item, answer, set, disabled, true);
    case 'rating': {
      const { min, max } = item.scale || { min: 1, max: 5 };
      const opts = [];
      for (let v = min; v <= max; v++) opts.push({ value: v, label: String(v) });
      return choices({ ...item, type: 'single_choice', options: opts }, answer, set, disabled, false);
    }
    case 'number':
      return h('input', {
        ...common, type: 'number', inputmode: 'decimal', min: item.min, max: item.max, step: 'any',
        value: answer.value ?? '', onchange: (ev) => set(ev.target.value === '' ? null : Number(ev.target.value)),
      });
    case 'date':
      return h('input', { ...common, type: 'date', value: answer.value ?? '', onchange: (ev) => set(ev.target.value || null) });
    case 'text':
      return h('textarea', {
        ...common, rows: 3, maxlength: item.max_length ?? 20000,
        value: answer.value ?? '', onchange: (ev) => set(ev.target.value === '' ? null : ev.target.value),
      });
    default:
      return null;
  }
}

// The item's block: label, help, control, not-applicable box, its problem if any.
export function itemBlock(item, answer, { set, setNa, disabled, extra }) {
  const problem = answer && !answer.na ? invalid(item, answer.value) : null;
  return h('div', { class: `item kind-${item.type}`, id: rid(item, '-khoi'), 'data-item': item.id },
    h('p', { class: 'item-label', id: rid(item, '-nhan') },
      item.label,
      item.required ? h('span', { class: 'req', 'aria-label': ' (bắt buộc)' }, ' *') : null,
      item.critical ? h('span', { class: 'critical' }, ' Điểm liệt') : null,
      answer?.pending ? h('span', { class: 'badge chua-gui' }, 'Chưa gửi') : null),
    item.help ? h('p', { class: 'hint' }, item.help) : null,
    answer?.na ? null : control(item, answer || {}, set, disabled),
    item.allow_na ? h('label', { class: 'choice na', for: rid(item, '-kad') },
      h('input', { id: rid(item, '-kad'), type: 'checkbox', checked: !!answer?.na, disabled, onchange: (ev) => setNa(ev.target.checked) }),
      h('span', {}, 'Không áp dụng')) : null,
    problem ? h('p', { class: 'flash flash-err', role: 'alert' }, problem) : null,
    extra);
}
