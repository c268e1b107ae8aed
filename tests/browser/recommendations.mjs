// Recommendations followed across rounds (/kien-nghi) and the unit's own part in them. Team 1's
// lead finds the overdue kiến nghị of the demo's closed 2025 round, opens it and records a
// khắc phục note; Xã Nghi Lộc's representative (demo.donvi) opens its own list from the menu
// and records what the unit did, with a PDF attached to that note; then finds its 2025
// self-assessment, sent.

import { signIn, look, expect, said } from "./lib.mjs";

const OVERDUE = /Tổ chức đối thoại trực tiếp/;
const DONE = /Kiện toàn Ban Chỉ đạo/;
const UNDER_WAY = /Lập sổ theo dõi tiếp công dân/;
// A small real PDF: its header and its end, as the server checks them.
const PDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

async function note(page, text, followUp) {
  await page.getByLabel("Nội dung khắc phục", { exact: true }).fill(text);
  await page.getByLabel("Tình trạng sau khắc phục", { exact: true }).selectOption(followUp);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Ghi kết quả" }).click()]);
  const msg = await said(page);
  expect(/Đã ghi kết quả khắc phục/.test(msg), `the note is recorded (got "${msg}")`);
  expect((await page.textContent("main")).includes(text), "the note is listed");
}

export async function recommendationsJourney(p) {
  const { page, f } = p;
  await signIn(p, "demo.truongdoan1", f.accounts["demo.truongdoan1"]);
  await page.getByRole("link", { name: "Kiến nghị", exact: true }).click();
  await page.waitForURL(/\/kien-nghi$/);
  const all = await page.textContent("main");
  expect(OVERDUE.test(all) && DONE.test(all) && UNDER_WAY.test(all), "the 2025 round's kiến nghị are listed");
  expect((await page.locator(".badge.rec-overdue").count()) >= 1, "an overdue one is marked");
  await look(p, "kien-nghi");

  // Overdue only.
  await page.getByLabel("Quá hạn", { exact: true }).selectOption("true");
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Lọc" }).click()]);
  expect(/overdue=true/.test(page.url()), `the filter is in the address (${page.url()})`);
  const overdue = await page.textContent("main");
  expect(OVERDUE.test(overdue) && !DONE.test(overdue) && !UNDER_WAY.test(overdue), "only the overdue one");
  await look(p, "kien-nghi-qua-han");

  await page.getByRole("link", { name: OVERDUE }).first().click();
  await page.waitForURL(/\/kien-nghi\/[0-9a-f-]+$/);
  expect((await page.getByRole("link", { name: "Xem phiếu" }).count()) === 1, "the lead may open the phiếu");
  await note(page, "Đoàn đôn đốc: xã hẹn tổ chức đối thoại trong tháng 12/2026.", "in_progress");
  await look(p, "kien-nghi-chi-tiet");

  // The unit itself: its list from the menu, a note of its own, no way into the team's phiếu.
  await signIn(p, "demo.donvi", f.accounts["demo.donvi"]);
  await page.getByRole("link", { name: "Kiến nghị", exact: true }).click();
  await page.waitForURL(/\/kien-nghi$/);
  const mine = await page.textContent("main");
  expect(UNDER_WAY.test(mine) && /Xã Nghi Lộc/.test(mine), "the unit's own kiến nghị");
  expect(!/Sở Nội vụ \[demo\]/.test(mine), "no other unit's");
  await look(p, "kien-nghi-don-vi");
  await page.getByRole("link", { name: UNDER_WAY }).first().click();
  await page.waitForURL(/\/kien-nghi\/[0-9a-f-]+$/);
  expect((await page.getByRole("link", { name: "Xem phiếu" }).count()) === 0, "no link to the team's phiếu");
  await note(page, "Đã niêm yết kết quả tiếp công dân tại trụ sở UBND xã từ ngày 01/12/2026.", "done");
  await look(p, "kien-nghi-don-vi-ghi");

  // A PDF for that note, through its file form (checked by its bytes as the API checks
  // them); listed with a link that downloads it.
  const form = page.locator("form.file-upload").last();
  await form.locator("input[type=file]").setInputFiles({ name: "Biên bản niêm yết.pdf", mimeType: "application/pdf", buffer: Buffer.from(PDF) });
  await Promise.all([page.waitForNavigation(), form.getByRole("button", { name: "Đính kèm" }).click()]);
  const attached = await said(page);
  expect(/Đã đính kèm tệp «Biên bản niêm yết.pdf»/.test(attached), `the file is attached (got "${attached}")`);
  const link = page.getByRole("link", { name: "Biên bản niêm yết.pdf" });
  expect((await link.count()) === 1, "the file is listed under its note");
  const file = await page.request.get(`${f.base}${await link.getAttribute("href")}`);
  expect(file.status() === 200 && (await file.body()).toString("latin1").startsWith("%PDF-"), `it downloads (got ${file.status()})`);
  await look(p, "kien-nghi-tep");
  const res = await page.goto(`${f.base}/dot`);
  expect(res.status() === 403, `the unit is still refused the rounds (got ${res.status()})`);

  // Its 2025 self-assessment, sent: shown, not editable.
  await page.goto(`${f.base}/tu-kiem-tra`);
  await page.getByRole("link", { name: /năm 2025/ }).click();
  await page.waitForURL(/\/tu-kiem-tra\?dot=/);
  const sent = await page.textContent("main");
  expect(/Đã gửi/.test(sent), "the 2025 self-assessment is sent");
  expect((await page.locator("form.selfcheck fieldset[disabled]").count()) > 0, "and no longer editable");
  await look(p, "tu-kiem-tra-da-gui");
}
