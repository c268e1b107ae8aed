// One inspection, offline: the checklist with its conditions and checks, photos, comments,
// the findings, submission (queued until online), the lead's reason for a return, and every
// conflict or refusal the server reported, in plain words.
import { h, show, badge, flash } from '../ui.js';
import { inspectionView as loadInspection, template, setAnswer, setField, submit, addComment } from '../model.js';
import { items, visible, missing } from '../checklist.js';
import { itemBlock } from './items.js';
import { addPhoto, deletePhoto, photoUrl } from '../photos.js';
import { get } from '../store.js';
import { recordCard } from './record.js';
import { recommendationsCard } from './recommendations.js';
import { RECORD_FIELDS, describe } from '../record.js';

const EDITABLE = new Set(['draft', 'returned']);
const RECORD_LABELS = { place: 'Địa điểm', held_at: 'Thời gian làm việc', members: 'Thành phần đoàn kiểm tra', attendees: 'Đại diện đơn vị' };

const REASONS = {
  inspection_submitted: 'phiếu đã nộp',
  inspection_read_only: 'phiếu không còn sửa được',
  round_not_open: 'đợt kiểm tra đã đóng',
  validation_failed: 'giá trị không hợp lệ',
  unknown_base_version: 'dữ liệu trên máy cũ hơn máy chủ',
  version_mismatch: 'người khác đã sửa trước',
};

// What a refused or conflicting mutation was about, in the inspector's words.
function subject(content, m) {
  if (m?.item_id) return `mục “${labelOf(content, m.item_id)}”`;
  if (m?.type === 'recommendation.create') return `kiến nghị “${[...m.content].slice(0, 60).join('')}”`;
  if (m?.type === 'recommendation.update') return 'việc sửa kiến nghị';
  if (m?.type === 'evidence.delete') return 'việc xoá ảnh';
  if (m?.fields) return Object.keys(m.fields).map((f) => `“${labelOf(content, f)}”`).join(', ');
  return 'phiếu';
}

function notices(insp, content) {
  const out = [];
  for (const n of insp.notices) {
    const what = subject(content, n.mutation);
    const text = n.status === 'conflict'
      ? (n.device_won
        ? `Người khác cũng sửa ${what}; bản của bạn được giữ, bản kia đã chuyển trưởng đoàn xem.`
        : `Người khác đã sửa ${what} sau bạn; máy đã lấy bản mới nhất, bản của bạn được lưu để trưởng đoàn xem.`)
      : `Máy chủ không nhận thay đổi ở ${what} (${REASONS[n.reason] || n.reason}); bản của bạn được lưu để trưởng đoàn xem.`;
    out.push(h('li', {}, text));
  }
  for (const c of insp.conflicts.filter((x) => x.status === 'open')) {
    const kept = c.winner === 'device' ? c.device_value : c.server_value;
    const other = c.winner === 'device' ? c.server_value : c.device_value;
    const label = c.entity === 'recommendation' ? RECOMMENDATION_LABELS[c.field] || 'Kiến nghị' : labelOf(content, c.field);
    if (c.kind === 'rejected') {
      out.push(h('li', { class: 'conflict' },
        `${label}: bản của bạn “${shown(content, c.field, c.device_value)}” chưa được nhận (${REASONS[c.reason] || c.reason}). Chờ trưởng đoàn xem.`));
      continue;
    }
    out.push(h('li', { class: 'conflict' },
      `${label}: đang dùng “${shown(content, c.field, kept)}”, bản kia “${shown(content, c.field, other)}”. Chờ trưởng đoàn chọn.`));
  }
  return out.length ? h('section', { class: 'card conflicts', 'aria-labelledby': 'xung-dot' },
    h('h2', { id: 'xung-dot' }, 'Xung đột và thay đổi không được nhận'), h('ul', {}, out)) : null;
}

function photoBlock(insp, item, editable, rerender) {
  const mine = insp.photos.filter((p) => p.item === item.id);
  const server = insp.evidence.filter((e) => e.item_id === item.id && !mine.some((p) => p.id === e.id));
  const input = h('input', {
    id: `anh-${item.id.replace(/[^a-z0-9_-]/gi, '-')}`, type: 'file', accept: 'image/*', capture: 'environment', disabled: !editable,
    class: 'photo-input',
    onchange: async (ev) => {
      for (const f of ev.target.files) await addPhoto(insp.id, item.id, f);
      rerender();
    },
  });
  // Asked first: a deleted photo cannot be brought back (its bytes leave the phone too).
  const remove = (photoId, name) => (editable ? h('button', {
    type: 'button', class: 'btn btn-small', 'aria-label': `Xoá ảnh ${name}`,
    onclick: async () => {
      if (!window.confirm(`Xoá ảnh ${name}? Ảnh sẽ bị xoá khỏi phiếu và không lấy lại được.`)) return;
      await deletePhoto(insp.id, photoId);
      rerender();
    },
  }, 'Xoá ảnh') : null);
  return h('div', { class: 'photos' },
    h('label', { class: 'btn btn-small', for: input.id }, 'Chụp / chọn ảnh'), input,
    h('ul', { class: 'thumbs' },
      mine.map((p) => h('li', { 'data-photo': p.id },
        h('img', { src: photoUrl(p), alt: `Ảnh minh chứng ${p.name}`, width: 96, height: 96 }),
        h('progress', { max: p.size, value: p.state === 'done' ? p.size : p.offset, 'aria-label': 'Đã tải lên' }),
        h('span', { class: 'upload-state' }, p.state === 'done' ? 'Đã tải lên' : 'Chờ tải lên'),
        remove(p.id, p.name))),
      server.map((e) => h('li', { 'data-evidence': e.id },
        h('span', { class: 'muted' }, `Ảnh đã có trên máy chủ (${e.upload_state || ''})`),
        remove(e.id, e.caption || 'trên máy chủ')))));
}

function commentBlock(insp, item, editable, rerender) {
  const list = insp.comments.filter((c) => c.item_id === item.id);
  const id = `gy-${item.id.replace(/[^a-z0-9_-]/gi, '-')}`;
  const area = h('textarea', { id, rows: 2 });
  return h('details', { class: 'comments' },
    h('summary', {}, `Ghi chú (${list.length})`),
    h('ul', {}, list.map((c) => h('li', {}, c.body, c.local ? h('span', { class: 'badge chua-gui' }, 'Chưa gửi') : null))),
    editable ? h('div', { class: 'field' }, h('label', { for: id }, 'Thêm ghi chú'), area,
      h('button', {
        type: 'button', class: 'btn btn-small',
        onclick: async () => { if (area.value.trim()) { await addComment(insp.id, item.id, area.value.trim()); rerender(); } },
      }, 'Lưu ghi chú')) : null);
}

function findings(insp, editable, rerender) {
  const field = (name, label) => h('div', { class: 'field' },
    h('label', { for: `kq-${name}` }, label),
    h('textarea', {
      id: `kq-${name}`, rows: 3, disabled: !editable, value: insp[name] || '',
      onchange: async (ev) => { await setField(insp.id, name, ev.target.value); rerender(); },
    }));
  return h('section', { class: 'card', 'aria-labelledby': 'ket-qua' },
    h('h2', { id: 'ket-qua' }, 'Kết quả kiểm tra'),
    field('strengths', 'Ưu điểm'), field('shortcomings', 'Hạn chế'), field('causes', 'Nguyên nhân'));
}

export async function inspectionView(id, go) {
  const render = () => inspectionView(id, go);
  const insp = await loadInspection(id);
  if (!insp) return show(h('p', {}, 'Không tìm thấy phiếu trên máy này.'), 'Phiếu');
  const tv = await template(insp.template_version_id);
  const content = tv?.content || { sections: [] };
  const unit = await get('unit', insp.unit_id);
  const editable = EDITABLE.has(insp.status);
  const shown = visible(content, insp.answers);
  const photoCount = {};
  for (const p of insp.photos) photoCount[p.item] = (photoCount[p.item] || 0) + 1;
  for (const e of insp.evidence) if (!insp.photos.some((p) => p.id === e.id)) photoCount[e.item_id] = (photoCount[e.item_id] || 0) + 1;

  const sections = (content.sections || []).map((s) => h('section', { class: 'card', 'aria-labelledby': `phan-${s.id}` },
    h('h2', { id: `phan-${s.id}` }, s.title),
    items({ sections: [s] }).filter((it) => shown.has(it.id)).map((it) => itemBlock(it, insp.answers[it.id], {
      disabled: !editable,
      set: async (v) => { await setAnswer(id, it.id, v, false); render(); },
      setNa: async (na) => { await setAnswer(id, it.id, null, na); render(); },
      extra: [
        it.type === 'photo' || it.evidence ? photoBlock(insp, it, editable, render) : null,
        commentBlock(insp, it, editable, render),
      ],
    }))));

  const todo = missing(content, insp.answers, photoCount, insp);
  const page = h('div', { class: 'inspection' },
    h('p', {}, h('a', { href: '#/' }, '← Đợt kiểm tra')),
    h('h1', {}, unit?.name || 'Phiếu kiểm tra'),
    h('p', { class: 'states' }, badge(insp.status), insp.pending ? h('span', { class: 'badge chua-gui' }, 'Có thay đổi chưa gửi') : null),
    insp.status === 'returned' && insp.return_reason
      ? h('div', { class: 'return-reason', role: 'note' }, h('strong', {}, 'Trưởng đoàn trả lại: '), insp.return_reason) : null,
    notices(insp, content),
    sections,
    findings(insp, editable, render),
    recordCard(insp, editable, render),
    await recommendationsCard(insp, editable, render),
    editable ? h('section', { class: 'card', 'aria-labelledby': 'nop' },
      h('h2', { id: 'nop' }, 'Nộp phiếu'),
      todo.length
        ? h('div', {}, h('p', {}, `Còn ${todo.length} việc trước khi nộp:`),
          h('ul', { class: 'errors' }, todo.slice(0, 30).map((t) => h('li', {}, `${labelOf(content, t.item)}: ${t.message}`))))
        : h('p', {}, 'Đã đủ để nộp. Nếu chưa có mạng, phiếu sẽ được gửi khi có mạng.'),
      h('button', {
        type: 'button', class: 'btn btn-primary', disabled: todo.length > 0,
        onclick: async () => { await submit(id); await render(); flash('Đã nộp phiếu. Phiếu được gửi lên khi có mạng.'); },
      }, 'Nộp phiếu')) : null);
  show(page, unit?.name || 'Phiếu');
}

// A conflict's stored value (JSON text: `{"value", "na"}` for an answer, a string for a
// findings field) in the words the inspector chose it by.
function shown(content, field, text) {
  let v;
  try { v = JSON.parse(text); } catch { v = text; }
  if (RECORD_FIELDS.includes(field)) return describe(field, v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (v.na) return 'Không áp dụng';
    v = v.value;
  }
  if (v === null || v === undefined || v === '') return 'để trống';
  const item = items(content).find((it) => it.id === field);
  const opts = item?.type === 'yes_no' ? [{ value: 'yes', label: 'Có' }, { value: 'no', label: 'Không' }] : item?.options || [];
  const label = (x) => opts.find((o) => o.value === x)?.label ?? String(x);
  return Array.isArray(v) ? v.map(label).join(', ') : label(v);
}

const RECOMMENDATION_LABELS = {
  content: 'Kiến nghị: nội dung', responsible_unit_id: 'Kiến nghị: đơn vị chịu trách nhiệm',
  responsible: 'Kiến nghị: người thực hiện', due_on: 'Kiến nghị: hạn thực hiện',
};

function labelOf(content, id) {
  if (id === 'strengths') return 'Ưu điểm';
  if (id === 'shortcomings') return 'Hạn chế';
  if (id === 'causes') return 'Nguyên nhân';
  if (id in RECORD_LABELS) return RECORD_LABELS[id];
  return items(content).find((it) => it.id === id)?.label || id;
}

