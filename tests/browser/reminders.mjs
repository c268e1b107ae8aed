// Reminders (đôn đốc): a lead sends them from the missing list; an inspector of the team finds
// them on /thong-bao (the header counts the unread) and marks them read.

import { signIn, look, expect, said } from "./lib.mjs";

export async function remindersJourney(p) {
  const { page, f } = p;
  await signIn(p, "demo.truongdoan1", f.accounts["demo.truongdoan1"]);
  await page.goto(`${f.base}/dot`);
  await page.getByRole("link", { name: /Kiểm tra công tác dân vận/ }).click();
  await page.waitForURL(/\/dot\/[0-9a-f-]+$/);
  await page.goto(`${page.url()}/con-thieu`);
  await page.getByRole("button", { name: "Gửi nhắc nhở" }).click();
  await page.waitForURL(/\/con-thieu$/);
  const msg = await said(page);
  expect(/Đã gửi \d+ nhắc nhở|Không có nhắc nhở mới/.test(msg), `the lead is told what was sent (got "${msg}")`);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Đăng xuất" }).click()]);

  await signIn(p, "demo.kiemtra1", f.accounts["demo.kiemtra1"]);
  expect((await page.locator(".unread-count").count()) === 1, "the header counts the inspector's unread reminders");
  await page.getByRole("link", { name: /Thông báo/ }).click();
  await page.waitForURL(/\/thong-bao$/);
  expect(/Đôn đốc/.test(await page.textContent("main")), "the reminder is listed");
  await look(p, "thong-bao");
  await page.getByRole("button", { name: /Đánh dấu đã đọc/ }).first().click();
  await page.waitForURL(/\/thong-bao$/);
  expect(/đã đọc/.test(await said(page)), "marking read is confirmed");
  const all = page.getByRole("button", { name: "Đánh dấu tất cả là đã đọc" });
  if ((await all.count()) > 0) {
    await Promise.all([page.waitForNavigation(), all.click()]);
  }
  expect((await page.locator(".unread-count").count()) === 0, "nothing unread is left");
  await look(p, "thong-bao-da-doc");
}
