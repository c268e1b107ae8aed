// What every browser journey shares: Chromium as this machine has it (Debian's package),
// pages checked by axe-core, screenshots at a phone's and a laptop's width, page weights,
// and a hard failure on any script error or Content-Security-Policy violation.

import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const WIDTHS = [
  { name: "360", width: 360, height: 780 },
  { name: "1366", width: 1366, height: 900 },
];

export function fixture() {
  const raw = process.env.KIEMTRA_BROWSER_FIXTURE;
  if (!raw) {
    throw new Error("KIEMTRA_BROWSER_FIXTURE is not set (run through cargo test)");
  }
  return JSON.parse(raw);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.KIEMTRA_CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

// A browser context for one person, with every problem a page raises collected.
export async function person(browser, f) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    const t = m.text();
    if (m.type() === "error" && !/status of 4\d\d/.test(t)) {
      problems.push(`console error: ${t}`);
    }
    if (/Content Security Policy/i.test(t)) {
      problems.push(`CSP violation: ${t}`);
    }
  });
  return { context, page, problems, f };
}

export async function signIn(p, username, password) {
  const { page, f } = p;
  await page.goto(`${f.base}/dang-nhap`);
  await page.getByLabel("Tên đăng nhập", { exact: true }).fill(username);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  if (page.url().includes("/dang-nhap")) {
    throw new Error(`sign-in of ${username} failed: ${await page.textContent("main")}`);
  }
}

// Serious and critical axe findings on the page as it stands.
async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
  return result;
}

// What the page transferred, photos aside: the HTML, the stylesheet and the script.
async function weight(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const res = performance
      .getEntriesByType("resource")
      .filter((r) => !["img"].includes(r.initiatorType) && !/\/minh-chung\//.test(r.name));
    const bytes = (e) => e.transferSize || e.encodedBodySize || 0;
    return {
      document: nav ? bytes(nav) : 0,
      decoded: nav ? nav.decodedBodySize : 0,
      assets: res.reduce((s, r) => s + bytes(r), 0),
    };
  });
}

export const report = { pages: {}, failures: [] };

// Checks the page in front of the person (axe at both widths) and saves its screenshots as
// `web-<name>-<width>.png`; records its weight.
export async function look(p, name) {
  const { page, f } = p;
  await page.waitForLoadState("load");
  const entry = { url: page.url().replace(f.base, ""), axe: [], weight: await weight(page) };
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    const found = await axe(page);
    entry.axe.push(...found.map((v) => `${w.name}px: ${v}`));
    if (f.screenshots) {
      mkdirSync(f.screenshots, { recursive: true });
      // The page from its top, as far as a person first scrolls: whole pages of answers
      // would make the docs' pictures megabytes each.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const clip = { x: 0, y: 0, width: w.width, height: Math.min(height, w.name === "360" ? 1600 : 1000) };
      await page.screenshot({ path: `${f.screenshots}/web-${name}-${w.name}.png`, fullPage: true, clip });
    }
  }
  await page.setViewportSize({ width: 1366, height: 900 });
  // A second load of the same page: the stylesheet and script now come from the cache,
  // which is what every page after the first costs.
  if (entry.weight.document + entry.weight.assets > 150 * 1024) {
    report.failures.push(`${name}: ${entry.weight.document + entry.weight.assets} bytes transferred (limit 150 KB)`);
  }
  for (const v of entry.axe) {
    report.failures.push(`${name}: axe ${v}`);
  }
  report.pages[name] = entry;
}

export function expect(cond, what) {
  if (!cond) {
    throw new Error(what);
  }
}

// The flash message after an action.
export async function said(page) {
  const el = page.locator(".flash").first();
  await el.waitFor();
  return (await el.textContent()).trim();
}

export function finish(people) {
  for (const p of people) {
    report.failures.push(...p.problems);
  }
  const out = process.env.KIEMTRA_BROWSER_REPORT;
  if (out) {
    writeFileSync(out, JSON.stringify(report, null, 2));
  }
  if (report.failures.length) {
    console.error("FAILURES:\n" + report.failures.join("\n"));
    process.exit(1);
  }
}
