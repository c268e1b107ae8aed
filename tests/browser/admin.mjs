// Sở Nội vụ's day (demo.admin): units imported from a CSV (preview, then commit), a user, a
// team, a checklist imported (first with a fault) and published, a round created, its units
// assigned and the round opened, and the audit chain verified.

import { signIn, look, expect, said } from "./lib.mjs";

const CSV = "code,name,kind,address\n" +
  "DEMO-X-NAMDAN,Xã Nam Đàn [demo],commune,\"Xã Nam Đàn, tỉnh Nghệ An\"\n" +
  "DEMO-X-HUNGNGUYEN,Xã Hưng Nguyên [demo],commune,\"Xã Hưng Nguyên, tỉnh Nghệ An\"\n";

const BAD_CSV = "code,name,kind\nDEMO-X-SAI,Xã Sai,tinh\n";

function checklist(withFault) {
  const items = [
    { id: "a", type: "yes_no", label: "Có xây dựng chương trình công tác dân vận?", required: true, max_points: 10, critical: true },
    { id: "b", type: "single_choice", label: "Tiếp công dân định kỳ", required: true, options: [
      { value: "du", label: "Đầy đủ", points: 10 }, { value: "mot_phan", label: "Một phần", points: 5 }, { value: "khong", label: "Không", points: 0 }] },
  ];
  if (withFault) {
    items.push({ id: "c", type: "single_choice", label: "Thiếu lựa chọn" });
  }
  return JSON.stringify({
    code: "thu-nghiem-web", title: "Phiếu kiểm tra chuyên đề (thử nghiệm)",
    scoring: { max_score: 100, critical_cap: "tb", bands: [{ code: "tot", label: "Tốt", min: 85 }, { code: "kha", label: "Khá", min: 70 }, { code: "tb", label: "Trung bình", min: 50 }, { code: "yeu", label: "Yếu", min: 0 }] },
    sections: [{ id: "s1", title: "Phần 1. Chương trình và tiếp dân", items }],
  }, null, 2);
}

// Chooses the option whose text matches `re`.
async function choose(select, re) {
  const texts = await select.locator("option").allTextContents();
  const label = texts.find((t) => re.test(t));
  expect(label !== undefined, `an option matching ${re} (have: ${texts.join(" | ")})`);
  await select.selectOption({ label });
}

async function units(p) {
  const { page, f } = p;
  await page.goto(`${f.base}/quan-tri/don-vi`);
  await page.getByLabel("Tìm theo tên hoặc mã", { exact: true }).fill("nghi loc");
  await page.getByRole("button", { name: "Tìm" }).click();
  await page.waitForURL(/q=nghi/);
  expect((await page.content()).includes("Nghi Lộc"), "the search ignores diacritics");
  await look(p, "don-vi");
  await page.getByLabel("Tệp CSV", { exact: true }).setInputFiles({ name: "sai.csv", mimeType: "text/csv", buffer: Buffer.from(BAD_CSV) });
  await page.getByRole("button", { name: "Xem trước" }).click();
  expect(/Dòng 2/.test(await page.textContent("main")), "a bad line is named by its number");
  await look(p, "don-vi-loi");
  await page.goto(`${f.base}/quan-tri/don-vi`);
  await page.getByLabel("Tệp CSV", { exact: true }).setInputFiles({ name: "don-vi.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await page.getByRole("button", { name: "Xem trước" }).click();
  await look(p, "don-vi-xem-truoc");
  await page.getByRole("button", { name: /Nhập 2 đơn vị/ }).click();
  expect(/2/.test(await said(page)), "the import says how many");
}

async function people(p) {
  const { page, f } = p;
  await page.goto(`${f.base}/quan-tri/nguoi-dung`);
  await page.getByLabel("Tên đăng nhập", { exact: true }).fill("demo.kiemtra4");
  await page.getByLabel("Họ và tên", { exact: true }).fill("Hồ Thị Lan – Thành viên đoàn 3 (demo)");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await page.waitForLoadState("load");
  expect(/demo\.kiemtra4/.test(await page.textContent("main")), "the new account is shown");
  await look(p, "nguoi-dung-moi");
  await page.goto(`${f.base}/quan-tri/nguoi-dung`);
  await look(p, "nguoi-dung");

  await page.goto(`${f.base}/quan-tri/doan`);
  await page.getByLabel("Tên đoàn", { exact: true }).fill("Đoàn kiểm tra số 3 [demo]");
  await choose(page.getByLabel("Trưởng đoàn", { exact: true }), /truongdoan2|Trưởng đoàn 2/);
  await page.getByLabel(/Hồ Thị Lan/).check();
  await page.getByRole("button", { name: "Tạo đoàn" }).click();
  expect(/Đã tạo/.test(await said(page)), "creating a team says so");
  await look(p, "doan");
}

async function checklists(p) {
  const { page, f } = p;
  await page.goto(`${f.base}/quan-tri/mau-phieu/nhap`);
  await page.getByLabel("Hoặc dán nội dung JSON", { exact: true }).fill(checklist(true));
  await page.getByRole("button", { name: "Nhập mẫu phiếu" }).click();
  expect(/\/sections\/0\/items\/2/.test(await page.textContent("main")), "a fault is shown by its path");
  await look(p, "mau-phieu-loi");
  await page.getByLabel("Hoặc dán nội dung JSON", { exact: true }).fill(checklist(false));
  await page.getByRole("button", { name: "Nhập mẫu phiếu" }).click();
  await page.waitForURL(/\/quan-tri\/mau-phieu\/[0-9a-f-]+$/);
  await page.getByRole("button", { name: /Ban hành bản nháp/ }).click();
  expect(/ban hành/i.test(await said(page)), "publishing says so");
  await look(p, "mau-phieu");
  await page.locator("a[href*='/phien-ban/']").first().click();
  await page.waitForURL(/\/phien-ban\//);
  await look(p, "mau-phieu-phien-ban");
  await page.goto(`${f.base}/quan-tri/mau-phieu`);
  await look(p, "mau-phieu-danh-sach");
}

async function rounds(p) {
  const { page, f } = p;
  await page.goto(`${f.base}/quan-tri/dot`);
  await look(p, "quan-ly-dot");
  await page.getByLabel("Tên đợt", { exact: true }).fill("Kiểm tra chuyên đề tiếp công dân 2027 [demo]");
  await page.getByLabel("Loại đợt", { exact: true }).selectOption("thematic");
  await choose(page.getByLabel(/Phiếu kiểm tra/), /thử nghiệm/);
  await page.getByLabel("Ngày bắt đầu", { exact: true }).fill("2027-03-01");
  await page.getByLabel("Ngày kết thúc", { exact: true }).fill("2027-04-30");
  await page.getByLabel("Hạn gửi kết quả", { exact: true }).fill("2027-05-15");
  await page.getByRole("button", { name: "Tạo đợt kiểm tra" }).click();
  expect(/Đã tạo đợt/.test(await said(page)), "creating a round says so");
  await choose(page.getByLabel("Đoàn kiểm tra", { exact: true }), /Đoàn kiểm tra số 3/);
  await page.getByLabel(/Xã Nam Đàn/).check();
  await page.getByLabel(/Xã Hưng Nguyên/).check();
  await page.getByRole("button", { name: "Phân công" }).click();
  expect(/phân công/i.test(await said(page)), "assigning says so");
  await page.getByRole("button", { name: "Mở đợt kiểm tra" }).click();
  expect(/mở/i.test(await said(page)), "opening says so");
  await look(p, "quan-ly-dot-chi-tiet");

  // One unit's own deadline in the round (PATCH …/assignments/{unit_id} on the web), then
  // back to the round's.
  await page.getByLabel(/Hạn hoàn thành của Xã Nam Đàn/).fill("2027-04-15");
  await page.getByRole("button", { name: /Lưu hạn Xã Nam Đàn/ }).click();
  const due = await said(page);
  expect(/Đã đặt hạn hoàn thành của «Xã Nam Đàn \[demo\]»: 15\/04\/2027/.test(due), `the unit's deadline is set (got "${due}")`);
  expect((await page.getByLabel(/Hạn hoàn thành của Xã Nam Đàn/).inputValue()) === "2027-04-15", "and shown in its field");
  await page.getByLabel(/Hạn hoàn thành của Xã Nam Đàn/).fill("");
  await page.getByRole("button", { name: /Lưu hạn Xã Nam Đàn/ }).click();
  const cleared = await said(page);
  expect(/theo hạn chung của đợt/.test(cleared), `clearing it goes back to the round's (got "${cleared}")`);
}

async function audit(p) {
  const { page, f } = p;
  await page.goto(`${f.base}/quan-tri/nhat-ky`);
  await page.getByRole("button", { name: /Kiểm tra tính toàn vẹn/ }).click();
  expect(/toàn vẹn/.test(await said(page)), "the chain is verified");
  await look(p, "nhat-ky");
}

export async function adminJourney(p) {
  const { page, f } = p;
  page.on("dialog", (d) => d.accept());
  await signIn(p, "demo.admin", f.accounts["demo.admin"]);
  await units(p);
  await people(p);
  await checklists(p);
  await rounds(p);
  await audit(p);
  // The pages of one unit, one person and the list of teams.
  await page.goto(`${f.base}/quan-tri/don-vi?q=nam+dan`);
  await page.locator("a[href^='/quan-tri/don-vi/']").first().click();
  await page.waitForURL(/\/quan-tri\/don-vi\/[0-9a-f-]+$/);
  await look(p, "don-vi-sua");
  await page.goto(`${f.base}/quan-tri/nguoi-dung`);
  await page.locator("a[href^='/quan-tri/nguoi-dung/']").first().click();
  await page.waitForURL(/\/quan-tri\/nguoi-dung\/[0-9a-f-]+$/);
  await look(p, "nguoi-dung-sua");
  await page.goto(`${f.base}/quan-tri/doan`);
  await look(p, "doan-danh-sach");
  await page.goto(`${f.base}/dot`);
  await look(p, "dot-quan-tri");
}
