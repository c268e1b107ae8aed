// A unit's representative (demo.donvi, Xã Nghi Lộc) fills the unit's self-assessment: lands on
// /tu-kiem-tra, answers, saves, is told what submission still needs, and is refused every
// other page. Then team 1's lead finds the "Tự kiểm tra" section on the inspection of that unit.

import { signIn, look, expect, said } from "./lib.mjs";

export async function unitJourney(p) {
  const { page, f } = p;
  // "Gửi phiếu tự kiểm tra" asks before it is sent (data-confirm).
  page.on("dialog", (d) => d.accept());
  await signIn(p, "demo.donvi", f.accounts["demo.donvi"]);
  expect(/\/tu-kiem-tra/.test(page.url()), `the unit lands on its self-assessment (got ${page.url()})`);
  expect(/Xã Nghi Lộc/.test(await page.textContent("main")), "the page names the unit");
  await look(p, "tu-kiem-tra-don-vi");

  // One answer of the first yes/no or single-choice item, saved through the form.
  const radio = page.locator("form.selfcheck input[type=radio]").first();
  await radio.check();
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Lưu phiếu" }).click()]);
  const saved = await said(page);
  expect(/Đã lưu 1 câu trả lời/.test(saved), `the answer is saved (got "${saved}")`);
  expect(await page.locator("form.selfcheck input[type=radio]").first().isChecked(), "the answer is shown again");

  // Submitting with required items unanswered says which, in Vietnamese.
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Gửi phiếu tự kiểm tra" }).click()]);
  const refused = await said(page);
  expect(/Chưa trả lời mục bắt buộc/.test(refused), `submission lists what is missing (got "${refused}")`);
  await look(p, "tu-kiem-tra-thieu");

  for (const path of ["/dot", "/quan-tri/nguoi-dung"]) {
    const res = await page.goto(`${f.base}${path}`);
    expect(res.status() === 403, `a unit is refused ${path} (got ${res.status()})`);
  }

  // Team 1's lead: the inspection of Xã Nghi Lộc has the self-assessment section.
  await signIn(p, "demo.truongdoan1", f.accounts["demo.truongdoan1"]);
  await page.goto(`${f.base}/dot`);
  await page.getByRole("link", { name: /Kiểm tra công tác dân vận/ }).first().click();
  await page.waitForURL(/\/dot\/[0-9a-f-]+$/);
  await page.getByRole("link", { name: /Xã Nghi Lộc/ }).first().click();
  await page.waitForURL(/\/phieu\/[0-9a-f-]+$/);
  const section = page.locator("#tu-kiem-tra");
  expect((await section.count()) === 1, "the review page has the self-assessment section");
  expect(/chưa gửi phiếu tự kiểm tra/.test(await page.textContent("main")), "not submitted yet, said so");
}
