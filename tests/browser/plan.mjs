// The plan's wider work on the web: the reports units owe and the điểm sáng registry. Sở Nội
// vụ reads who sent what (/bao-cao-don-vi); Xã Nghi Lộc's representative (demo.donvi) sends its
// half-year report, has a file that is not a PDF refused, registers a bright spot and attaches
// a photo of it (a damaged one refused first); team 1's lead, whose team inspects the commune,
// evaluates it and it is recognised.

import { deflateSync, crc32 } from "node:zlib";
import { signIn, look, expect, said } from "./lib.mjs";

// A small PDF: its kind is checked from the bytes (%PDF- … %%EOF), not from the name.
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);
const SPOT = "Dân vận khéo trong giải phóng mặt bằng đường ven biển";

// A whole PNG (8-bit RGB, a gradient), which the server decodes to its last pixel.
function png(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const head = Buffer.alloc(13);
  head.writeUInt32BE(width, 0);
  head.writeUInt32BE(height, 4);
  head.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row.set([(x * 255) / width, (y * 255) / height, 128], 1 + x * 3);
    }
    rows.push(row);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk("IHDR", head), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}

async function attach(page, name, buffer) {
  await page.getByLabel(/Đính kèm tệp/).setInputFiles({ name, mimeType: "image/png", buffer });
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Đính kèm", exact: true }).click()]);
  return said(page);
}

async function send(page, kind, name, buffer) {
  await page.getByLabel("Loại báo cáo", { exact: true }).selectOption(kind);
  await page.getByLabel("Tệp (DOCX hoặc PDF)", { exact: true }).setInputFiles({ name, mimeType: "application/pdf", buffer });
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Nộp", exact: true }).click()]);
  return said(page);
}

export async function planJourney(p) {
  const { page, f } = p;
  await signIn(p, "demo.admin", f.accounts["demo.admin"]);
  await page.goto(`${f.base}/bao-cao-don-vi`);
  expect((await page.locator("td .badge.report-on_time").count()) >= 1, "a programme sent on time is marked");
  expect((await page.locator("td .badge.report-late").count()) >= 1, "a late one is marked");
  await look(p, "bao-cao-don-vi");

  await signIn(p, "demo.donvi", f.accounts["demo.donvi"]);
  await page.goto(`${f.base}/bao-cao`);
  const fake = await send(page, "half_year", "bao-cao.pdf", Buffer.from("MZ this is a program, not a report"));
  expect(/DOCX|PDF/.test(fake), `a file that is no PDF is refused, saying what is taken (got "${fake}")`);
  expect(!(await page.textContent("main")).includes("bao-cao.pdf"), "and nothing is recorded");
  const ok = await send(page, "half_year", "bao-cao-so-ket-6-thang.pdf", PDF);
  expect(/Đã nộp/.test(ok), `the report is received (got "${ok}")`);
  expect((await page.textContent("main")).includes("bao-cao-so-ket-6-thang.pdf"), "the file is listed");
  await look(p, "bao-cao");

  await page.goto(`${f.base}/diem-sang/moi`);
  await page.getByLabel("Tên điểm sáng", { exact: true }).fill(SPOT);
  await page.getByLabel("Lĩnh vực", { exact: true }).fill("Giải phóng mặt bằng");
  await page.getByLabel("Mô tả", { exact: true }).fill("Tổ công tác đến từng hộ, đối thoại công khai phương án đền bù.");
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Đăng ký", exact: true }).click()]);
  const reg = await said(page);
  expect(/Đã đăng ký điểm sáng/.test(reg), `the bright spot is registered (got "${reg}")`);
  await page.goto(`${f.base}/diem-sang`);
  expect((await page.textContent("main")).includes(SPOT), "the unit's list shows it");
  await look(p, "diem-sang-don-vi");

  // A photo of it, decoded by the server as evidence is: a PNG's signature over nothing is
  // refused and not kept; a whole one is listed and downloads as it was sent.
  await page.getByRole("link", { name: SPOT }).first().click();
  await page.waitForURL(/\/diem-sang\/[0-9a-f-]+$/);
  const broken = Buffer.concat([png(4, 4).subarray(0, 40), Buffer.from("not the rest of an image")]);
  const refused = await attach(page, "anh-hong.png", broken);
  expect(/Ảnh bị hỏng/.test(refused), `a damaged photo is refused (got "${refused}")`);
  expect(!(await page.textContent("main")).includes("anh-hong.png"), "and nothing is kept");
  const photo = png(320, 200);
  const kept = await attach(page, "Ảnh buổi đối thoại.png", photo);
  expect(/Đã đính kèm tệp «Ảnh buổi đối thoại.png»/.test(kept), `the photo is attached (got "${kept}")`);
  const link = page.getByRole("link", { name: "Ảnh buổi đối thoại.png" });
  expect((await link.count()) === 1, "the photo is listed with the bright spot");
  const got = await page.request.get(`${f.base}${await link.getAttribute("href")}`);
  expect(got.status() === 200 && got.headers()["content-type"] === "image/png", `it downloads as a PNG (got ${got.status()})`);
  expect(Buffer.compare(await got.body(), photo) === 0, "byte for byte");
  await look(p, "diem-sang-tep");

  await signIn(p, "demo.truongdoan1", f.accounts["demo.truongdoan1"]);
  await page.goto(`${f.base}/diem-sang`);
  await page.getByRole("link", { name: SPOT }).first().click();
  await page.waitForURL(/\/diem-sang\/[0-9a-f-]+$/);
  await page.getByLabel("Kết quả", { exact: true }).selectOption("recognised");
  await page.getByLabel("Nhận xét", { exact: true }).fill("Cách làm hiệu quả, có thể nhân rộng.");
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Ghi kết quả đánh giá" }).click()]);
  const rev = await said(page);
  expect(/Đã ghi kết quả đánh giá/.test(rev), `the evaluation is recorded (got "${rev}")`);
  expect((await page.textContent("main")).includes("Đã công nhận"), "the bright spot is recognised");
  await look(p, "diem-sang-danh-gia");
}
