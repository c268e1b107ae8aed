// So sánh (/dot/{id}/so-sanh), as team 1's lead reads it after their day's approvals: the
// means by unit kind with the bar chart and its text, the unit × section table scrolling
// sideways inside its frame at 360 px (the page itself never does), the kind filter, and the
// workbook downloaded from the page.

import { readFileSync } from "node:fs";
import { signIn, look, expect } from "./lib.mjs";

async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 120000 }), link.click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

export async function compareJourney(p) {
  const { page, f } = p;
  await signIn(p, "demo.truongdoan1", f.accounts["demo.truongdoan1"]);
  await page.goto(`${f.base}/dot`);
  await page.getByRole("link", { name: /Kiểm tra công tác dân vận/ }).first().click();
  await page.waitForURL(/\/dot\/[0-9a-f-]+$/);
  await page.getByRole("link", { name: "So sánh kết quả" }).click();
  await page.waitForURL(/\/so-sanh$/);

  const chart = page.locator("svg[role=img]");
  expect((await chart.count()) === 1, "the chart is drawn");
  expect((await page.locator("figcaption").textContent()).includes("Chung:"), "the chart's figures are written out");
  const main = await page.textContent("main");
  expect(main.includes("Từng đơn vị") && !main.includes("Diễn Châu"), "team 1's units only");
  expect((await page.locator("table.compare").last().locator("tbody tr").count()) >= 2, "team 1's units are listed");
  await look(p, "so-sanh");

  // A phone: the table scrolls inside its frame, the page does not.
  await page.setViewportSize({ width: 360, height: 800 });
  const widths = await page.evaluate(() => {
    const wrap = document.querySelectorAll(".table-wrap")[1];
    return { page: document.documentElement.scrollWidth, inner: wrap.scrollWidth, frame: wrap.clientWidth };
  });
  expect(widths.page <= 360, `the page fits 360 px (${widths.page})`);
  expect(widths.inner > widths.frame, "the unit table scrolls sideways");
  await page.setViewportSize({ width: 1366, height: 900 });

  // By kind: departments alone.
  await page.getByLabel("Loại đơn vị", { exact: true }).selectOption("department");
  await page.getByRole("button", { name: "Lọc" }).click();
  await page.waitForURL(/loai=department/);
  const kinds = await page.locator("table.compare").last().locator("tbody tr td:nth-child(2)").allTextContents();
  expect(kinds.length > 0 && kinds.every((k) => k.trim() === "Sở, ban, ngành"), `departments only (${kinds})`);

  const file = await download(page, page.getByRole("link", { name: /Tải bảng so sánh/ }));
  expect(file.name === "so-sanh-ket-qua.xlsx", `the workbook's name (${file.name})`);
  expect(file.bytes.subarray(0, 2).toString() === "PK" && file.bytes.includes(Buffer.from("xl/charts/chart1.xml")), "an XLSX with its chart");
}
