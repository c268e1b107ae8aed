// The web app's journeys in Chromium: a team lead's and an administrator's, then a viewer's
// read-only look and the sign-in page. Every page visited is checked with axe-core at 360 px
// and 1366 px and photographed (lib.mjs). Run by tests/api/web/browser.rs.

import { fixture, launch, person, look, finish, report } from "./lib.mjs";
import { leadJourney } from "./lead.mjs";
import { adminJourney } from "./admin.mjs";
import { viewerJourney, inspectorLook } from "./viewer.mjs";
import { compareJourney } from "./compare.mjs";
import { remindersJourney } from "./reminders.mjs";
import { unitJourney } from "./unit.mjs";
import { recommendationsJourney } from "./recommendations.mjs";
import { planJourney } from "./plan.mjs";

const f = fixture();
// KIEMTRA_JOURNEYS=recommendations,unit runs only those journeys (names as below).
const only = (process.env.KIEMTRA_JOURNEYS || "").split(",").filter(Boolean);
const browser = await launch();
const people = [];
try {
  const anon = await person(browser, f);
  people.push(anon);
  await anon.page.goto(`${f.base}/dang-nhap`);
  await look(anon, "dang-nhap");

  for (const [name, journey] of [
    ["lead", leadJourney],
    ["admin", adminJourney],
    ["viewer", viewerJourney],
    ["inspector", inspectorLook],
    ["compare", compareJourney],
    ["reminders", remindersJourney],
    ["unit", unitJourney],
    ["recommendations", recommendationsJourney],
    ["plan", planJourney],
  ]) {
    if (only.length && !only.includes(name)) {
      continue;
    }
    const p = await person(browser, f);
    people.push(p);
    try {
      await journey(p);
      console.log(`${name}: journey done`);
    } catch (e) {
      report.failures.push(`${name} journey: ${e.stack || e}`);
      if (f.screenshots) {
        await p.page.screenshot({ path: `${f.screenshots}/failure-${name}.png`, fullPage: true }).catch(() => {});
      }
    }
  }
} finally {
  await browser.close();
}
for (const [name, e] of Object.entries(report.pages)) {
  console.log(`${name.padEnd(28)} ${String(e.weight.document).padStart(7)} B html  ${String(e.weight.assets).padStart(7)} B assets  ${e.url}`);
}
finish(people);
