// A team lead's day (demo.truongdoan1, team 1): the dashboard, an inspection and its photo,
// one returned with a reason and another approved, a sync conflict resolved, the round's
// conclusions and documents, and the downloads opened and checked.

import { readFileSync } from "node:fs";
import { signIn, look, expect, said } from "./lib.mjs";

async function openUnit(page, name) {
  await page.getByRole("link", { name }).first().click();
  await page.waitForURL(/\/phieu\/[0-9a-f-]+$/);
}

// A download from a `data-download` link: the file's bytes.
async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 120000 }), link.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

function isDocx(bytes) {
  return bytes.subarray(0, 2).toString() === "PK" && bytes.includes(Buffer.from("word/document.xml"));
}

function isPdf(bytes) {
  return bytes.subarray(0, 5).toString() === "%PDF-";
}

// The keyboard alone: the first Tab reaches "skip to content", with a visible focus ring, and
// Enter takes focus past the menu to the page itself.
async function keyboard(page) {
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { cls: el.className, outline: style.outlineStyle, width: style.outlineWidth };
  });
  expect(first.cls === "skip", `the first Tab reaches the skip link (got ${first.cls})`);
  expect(first.outline !== "none" && first.width !== "0px", "focus is visible");
  await page.keyboard.press("Enter");
  await page.waitForURL(/#noi-dung$/);
  await page.keyboard.press("Tab");
  const inMain = await page.evaluate(() => Boolean(document.activeElement.closest("main")));
  expect(inMain, "after skipping, Tab goes on inside the page's content");
}

export async function leadJourney(p) {
  const { page, f } = p;
  page.on("dialog", (d) => d.accept());
  await signIn(p, "demo.truongdoan1", f.accounts["demo.truongdoan1"]);
  await page.waitForURL(/\/dot$/);
  await look(p, "dot");
  await keyboard(page);

  // The dashboard, then a search that ignores diacritics.
  await page.getByRole("link", { name: /Kiểm tra công tác dân vận/ }).click();
  await page.waitForURL(/\/dot\/[0-9a-f-]+$/);
  const dashboard = page.url();
  expect((await page.locator("tbody tr").count()) >= 4, "the dashboard lists team 1's units");
  expect(!(await page.content()).includes("Diễn Châu"), "team 2's units are not on team 1's dashboard");
  await look(p, "bang-theo-doi");
  await page.getByLabel("Tìm đơn vị", { exact: true }).fill("truong vinh");
  await page.getByRole("button", { name: "Lọc" }).click();
  await page.waitForURL(/q=truong/);
  expect((await page.locator("table.data").last().locator("tbody tr").count()) === 1, "the search finds Trường Vinh alone");
  await look(p, "bang-theo-doi-loc");
  await page.goto(`${dashboard}/con-thieu`);
  expect((await page.textContent("main")).includes("Xã Nghi Lộc"), "the draft past its deadline is owed");
  await look(p, "con-thieu");

  // An inspection, its photo large, then returned with a reason.
  await page.goto(dashboard);
  await openUnit(page, /Sở Tài chính/);
  await look(p, "phieu");
  const photo = page.locator("a[data-photo]").first();
  expect((await photo.count()) === 1, "the meeting photo is shown");
  await photo.click();
  const dialog = page.locator("#photo-dialog");
  await dialog.waitFor({ state: "visible" });
  await page.waitForFunction(() => {
    const img = document.querySelector("#photo-dialog img");
    return img && img.complete && img.naturalWidth > 100;
  });
  await look(p, "anh-minh-chung");
  await dialog.getByRole("button", { name: "Đóng" }).click();
  await page.getByLabel("Lý do trả lại", { exact: true }).fill("Đề nghị bổ sung ảnh buổi làm việc có đủ thành phần.");
  await page.getByRole("button", { name: "Trả lại cho đoàn" }).click();
  expect(/trả lại/i.test(await said(page)), "returning says so");
  expect((await page.locator(".badge", { hasText: "Trả lại" }).count()) >= 1, "the inspection shows as returned");

  // Another approved.
  await page.goto(dashboard);
  await openUnit(page, /Trường Vinh/);
  await page.getByRole("button", { name: "Duyệt phiếu" }).click();
  expect(/duyệt/i.test(await said(page)), "approving says so");

  // The conflict between the two inspectors' phones.
  await page.goto(`${dashboard}/xung-dot`);
  await look(p, "xung-dot");
  const form = page.locator("form.resolve").first();
  expect((await form.count()) === 1, "the demo's conflict is listed");
  await form.getByLabel("Nhập giá trị mới", { exact: true }).check();
  await form.getByLabel("Giá trị mới", { exact: true }).fill("mot_phan");
  await form.getByRole("button", { name: "Xử lý xung đột" }).click();
  expect(/xung đột/i.test(await said(page)), "resolving says so");

  // Conclusions and documents; the downloads are real files.
  await page.goto(`${dashboard}/ket-luan`);
  await look(p, "ket-luan");
  const docx = await download(page, page.locator("a[data-download$='.docx']").first());
  expect(isDocx(docx.bytes), `the report is a DOCX (${docx.name})`);
  const pdfLink = page.locator("a[data-download$='.pdf']").first();
  const pdf = await download(page, pdfLink);
  expect(isPdf(pdf.bytes), `the report PDF is a PDF (${pdf.name})`);
  const bienBan = page.locator("a[href*='/bien-ban'][data-download$='.pdf']").first();
  expect((await bienBan.count()) === 1, "a biên bản PDF is offered");
  const bb = await download(page, bienBan);
  expect(isPdf(bb.bytes), `the biên bản is a PDF (${bb.name})`);
  const bbDocx = await download(page, page.locator("a[href*='/bien-ban'][data-download$='.docx']").first());
  expect(isDocx(bbDocx.bytes), `the biên bản DOCX is a DOCX (${bbDocx.name})`);

  await page.goto(`${f.base}/mat-khau`);
  await look(p, "mat-khau");
}
