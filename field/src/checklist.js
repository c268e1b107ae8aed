// The checklist's rules as the server applies them (docs/checklists.md), over plain values:
// which items are visible, whether a value fits its item, what still stops a submission.
// Pure functions; the views call them on every change.

export function items(content) {
  const out = [];
  for (const s of content?.sections || []) {
    for (const it of s.items || []) out.push({ ...it, section: s.id });
  }
  return out;
}

// `answers`: item id → {value, na}. An item whose condition's item is hidden is hidden too.
export function visible(content, answers) {
  const shown = new Set();
  for (const it of items(content)) {
    const c = it.visible_if;
    if (!c) { shown.add(it.id); continue; }
    if (!shown.has(c.item)) continue;
    const a = answers[c.item];
    const v = a && !a.na ? a.value : undefined;
    if (v === undefined || v === null) continue;
    const ok = 'equals' in c ? v === c.equals : Array.isArray(c.in) && c.in.includes(v);
    if (ok) shown.add(it.id);
  }
  return shown;
}

const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

// Why `value` does not fit `item` (Vietnamese), or null.
export function invalid(item, value) {
  if (empty(value)) return null;
  const values = (item.options || []).map((o) => o.value);
  switch (item.type) {
    case 'yes_no':
      return value === 'yes' || value === 'no' ? null : 'Chọn Có hoặc Không.';
    case 'single_choice':
      return values.includes(value) ? null : 'Chọn một trong các phương án.';
    case 'multi_choice':
      return Array.isArray(value) && value.every((v) => values.includes(v)) && new Set(value).size === value.length
        ? null : 'Chọn trong các phương án.';
    case 'text': {
      const max = item.max_length ?? 20000;
      return typeof value === 'string' && [...value].length <= max ? null : `Tối đa ${max} ký tự.`;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Nhập một số.';
      if (item.min !== undefined && value < item.min) return `Không nhỏ hơn ${item.min}.`;
      if (item.max !== undefined && value > item.max) return `Không lớn hơn ${item.max}.`;
      return null;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'Nhập ngày hợp lệ.';
    case 'rating': {
      const { min, max } = item.scale || {};
      return Number.isInteger(value) && value >= min && value <= max ? null : `Chọn từ ${min} đến ${max}.`;
    }
    default:
      return null;
  }
}

// How many photos an item needs with this answer (docs/checklists.md, "Evidence").
export function photosNeeded(item, answer) {
  if (answer?.na) return 0;
  const min = item.evidence?.min_photos || 0;
  if (item.type === 'photo') return Math.max(min, item.required ? 1 : 0);
  if (empty(answer?.value)) return 0;
  const when = item.evidence?.required_when || [];
  return when.includes(answer.value) ? Math.max(min, 1) : min;
}

const LEGACY_FINDINGS = new Set(['ket_qua.uu_diem', 'ket_qua.han_che', 'ket_qua.nguyen_nhan', 'ket_qua.kien_nghi']);

// What stops submitting, as [{item, message}]: required visible items unanswered, values
// that do not fit, photos missing (`photos`: item id → count on the device), findings.
export function missing(content, answers, photos, inspection) {
  const out = [];
  const shown = visible(content, answers);
  for (const it of items(content)) {
    if (!shown.has(it.id)) continue;
    const a = answers[it.id];
    const answered = a && (a.na || !empty(a.value));
    if (it.required && it.type !== 'photo' && !answered && !LEGACY_FINDINGS.has(it.id)) {
      out.push({ item: it.id, message: 'Chưa trả lời.' });
      continue;
    }
    const bad = a && !a.na ? invalid(it, a.value) : null;
    if (bad) out.push({ item: it.id, message: bad });
    const need = photosNeeded(it, a);
    if ((photos[it.id] || 0) < need) out.push({ item: it.id, message: `Cần ${need} ảnh minh chứng.` });
  }
  if (inspection && !(inspection.strengths || '').trim()) out.push({ item: 'strengths', message: 'Chưa ghi ưu điểm.' });
  if (inspection && !(inspection.shortcomings || '').trim()) out.push({ item: 'shortcomings', message: 'Chưa ghi hạn chế.' });
  return out;
}
