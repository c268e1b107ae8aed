// A recommendation (kiến nghị) typed on the phone, checked as the server checks a
// `recommendation.create` (api/inspections/service/recommendations.rs): content of 1 to
// 10 000 characters, a responsible unit the server knows (every unit is pulled to the
// phone), a real due date; the follow-up starts "open" (the phone does not set it). Pure.

export const MAX_CONTENT = 10000;

export const FOLLOW_UP = { open: 'Chưa thực hiện', in_progress: 'Đang thực hiện', done: 'Đã thực hiện' };

const norm = (s) => String(s ?? '').normalize('NFC').trim();

function realDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

// The form's values → {fields, problems}: `fields` the mutation's own (content,
// responsible_unit_id, responsible, due_on, follow_up), `problems` field → Vietnamese
// message (empty when it may be sent). `unitIds`: the units the phone knows.
export function checkRecommendation(form, unitIds) {
  const problems = {};
  const content = norm(form.content);
  if (!content || [...content].length > MAX_CONTENT) problems.content = `Nhập nội dung kiến nghị (từ 1 đến ${MAX_CONTENT} ký tự).`;
  const unit = form.responsible_unit_id || null;
  if (unit && !new Set(unitIds).has(unit)) problems.responsible_unit_id = 'Không có đơn vị này.';
  const due = norm(form.due_on) || null;
  if (due && !realDate(due)) problems.due_on = 'Nhập ngày hợp lệ.';
  const responsible = norm(form.responsible) || null;
  return {
    fields: { content, responsible_unit_id: unit, responsible, due_on: due, follow_up: null },
    problems,
  };
}
