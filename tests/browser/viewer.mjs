// A committee member (Ban Chỉ đạo) reads dashboards and documents and changes nothing.

import { signIn, look, expect } from "./lib.mjs";

export async function viewerJourney(p) {
  const { page, f } = p;
  await signIn(p, "demo.bcd", f.accounts["demo.bcd"]);
  await page.goto(`${f.base}/dot`);
  await page.getByRole("link", { name: /demo/ }).first().click();
  await page.waitForURL(/\/dot\/[0-9a-f-]+$/);
  expect((await page.locator("form[method=post] button", { hasText: /Duyệt|Trả lại/ }).count()) === 0, "a viewer sees no review buttons");
  const firstInspection = page.locator('a[href^="/phieu/"]').first();
  await firstInspection.click();
  await page.waitForURL(/\/phieu\//);
  expect((await page.getByRole("button", { name: "Duyệt" }).count()) === 0, "a viewer cannot approve");
  await look(p, "phieu-nguoi-xem");
  const res = await page.goto(`${f.base}/quan-tri/nguoi-dung`);
  expect(res.status() === 403, `a viewer is refused the users page (got ${res.status()})`);
  await look(p, "tu-choi");
}
