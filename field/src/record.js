// The biên bản record's fields (place, held_at, members, attendees) as the server checks
// and stores them (api/inspections/record.rs, `canonical`): the same limits, the same
// normalised form (NFC, trimmed, an empty title left out), so the phone refuses offline what
// the server would refuse, and a value the server already has compares equal. Pure.

export const MAX_PEOPLE = 30;
export const MAX_PLACE = 500;
export const MAX_NAME = 200;
export const RECORD_FIELDS = ['place', 'held_at', 'members', 'attendees'];

const norm = (s) => String(s ?? '').normalize('NFC').trim();
const chars = (s) => [...s].length;
// Việt Nam keeps UTC+7 all year (no summer time), so the offset is fixed.
const VN_MS = 7 * 3600 * 1000;
const pad = (n, w = 2) => String(n).padStart(w, '0');

// Why the place does not fit (Vietnamese), or null.
export function placeProblem(text) {
  return chars(norm(text)) > MAX_PLACE ? `Tối đa ${MAX_PLACE} ký tự.` : null;
}

// dd/mm/yyyy and a time (8:30, 08:30, 8h30, 8.30) typed in Việt Nam's time → the RFC 3339
// time the server takes ("2026-03-10T08:30:00+07:00"); both empty → null (clears it).
// A phone's number pad may have no "/" or ":", so digits alone are read too (10032026,
// 0830). Answers {value} or {problem, field}.
export function heldAt(dateText, timeText) {
  const d = norm(dateText), t = norm(timeText);
  if (!d && !t) return { value: null };
  if (!t) return { problem: 'Nhập cả giờ để lưu thời gian.', field: 'time' };
  if (!d) return { problem: 'Nhập cả ngày để lưu thời gian.', field: 'date' };
  const dm = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(d) || /^(\d{2})(\d{2})(\d{4})$/.exec(d);
  if (!dm) return { problem: 'Nhập ngày dạng dd/mm/yyyy.', field: 'date' };
  const [day, month, year] = dm.slice(1).map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || year < 1900) {
    return { problem: 'Ngày không có thật.', field: 'date' };
  }
  const tm = /^(\d{1,2})\s*[:h.]\s*(\d{2})$/i.exec(t) || /^(\d{1,2})(\d{2})$/.exec(t) || /^(\d{1,2})\s*h?$/i.exec(t);
  if (!tm) return { problem: 'Nhập giờ dạng giờ:phút, ví dụ 08:30.', field: 'time' };
  const hour = Number(tm[1]), minute = Number(tm[2] || 0);
  if (hour > 23 || minute > 59) return { problem: 'Giờ không có thật.', field: 'time' };
  return { value: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00+07:00` };
}

// A stored or pending held_at (any RFC 3339 offset) as the person reads it, in Việt Nam's
// time: {date: "dd/mm/yyyy", time: "HH:MM"}; empty strings when none or unreadable.
export function heldAtParts(iso) {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return { date: '', time: '' };
  const v = new Date(ms + VN_MS);
  return {
    date: `${pad(v.getUTCDate())}/${pad(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`,
    time: `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`,
  };
}

// A list of people typed on the phone ([{name, title}], rows left wholly empty ignored) in
// the server's stored form, with each row's problem: {value: [...] | null, problems:
// [{row, field, message}]}. No one is no value (the server stores none).
export function people(rows) {
  const out = [];
  const problems = [];
  (rows || []).forEach((r, row) => {
    const name = norm(r?.name), title = norm(r?.title);
    if (!name && !title) return;
    if (!name) problems.push({ row, field: 'name', message: 'Nhập họ và tên.' });
    else if (chars(name) > MAX_NAME) problems.push({ row, field: 'name', message: `Tối đa ${MAX_NAME} ký tự.` });
    if (chars(title) > MAX_NAME) problems.push({ row, field: 'title', message: `Tối đa ${MAX_NAME} ký tự.` });
    out.push(title ? { name, title } : { name });
  });
  if (out.length > MAX_PEOPLE) problems.push({ row: null, field: null, message: `Tối đa ${MAX_PEOPLE} người.` });
  return { value: out.length ? out : null, problems };
}

// A field's value in the text form the server keeps it in (`base_value` is text: the people
// as their JSON text, as serde_json writes them, which JSON.stringify matches for {name,
// title} in that order).
export function baseText(field, value) {
  if (value === undefined || value === null) return null;
  if (field === 'members' || field === 'attendees') {
    if (!Array.isArray(value) || !value.length) return null;
    return JSON.stringify(value.map((p) => (p.title ? { name: p.name, title: p.title } : { name: p.name })));
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// A record field's value (stored text, JSON text of people, or the array) in words, for
// conflict notices.
export function describe(field, value) {
  if (value === null || value === undefined || value === '') return 'để trống';
  if (field === 'held_at') {
    const p = heldAtParts(value);
    return p.date ? `${p.time} ngày ${p.date}` : String(value);
  }
  if (field === 'members' || field === 'attendees') {
    let list = value;
    if (typeof list === 'string') { try { list = JSON.parse(list); } catch { return list; } }
    if (!Array.isArray(list) || !list.length) return 'để trống';
    return list.map((p) => (p.title ? `${p.name} (${p.title})` : p.name)).join(', ');
  }
  return String(value);
}
