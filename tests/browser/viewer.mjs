// A committee member (Ban Chỉ đạo) reads dashboards and documents and changes nothing.

import { signIn, look, expect } from "./lib.mjs";

export async function viewerJourney(p) {
  const { page, f } = p;
  await signIn(p, "demo.bcd", f.accounts["demo.bcd"]);
  await page.goto(`${f.base}/dot`);
  await page.getByRole("link", { name: /Kiểm tra công tác dân vận/ }).first().click();
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

// An inspector's work is on the phone; the web app tells them so.
export async function inspectorLook(p) {
  const { page, f } = p;
  await signIn(p, "demo.kiemtra1", f.accounts["demo.kiemtra1"]);
  expect(/điện thoại/.test(await page.textContent("main")), "the inspector is sent to the phone app");
  await look(p, "thanh-vien-doan");
  const res = await page.goto(`${f.base}/dot`);
  expect(res.status() === 403, `an inspector is refused the rounds (got ${res.status()})`);
}
