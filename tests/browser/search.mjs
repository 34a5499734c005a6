// Types 0x80001083 into werr's search box in a real Chromium, follows the first result and
// checks the page: the name, the value's three forms, the bit box. Saves a screenshot.
// Usage: node search.mjs BASE_URL SCREENSHOT_DIR   (tests/browser/run.sh starts the server)
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, shots] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "werr-chromium-"));
const failures = [];
function check(what, ok) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 412, height: 915 }, // a phone
  locale: "en-US",
});
const external = [];
context.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
try {
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/");
  await page.locator("#q").pressSequentially("0x80001083", { delay: 30 });
  // Results of the whole query, not of a prefix typed on the way.
  await page.locator('#results[data-query="0x80001083"]').waitFor({ state: "attached", timeout: 10000 });
  const links = page.locator("#results li a");
  const names = (await links.allTextContents()).map((t) => t.trim());
  check(`as-you-type results appear: ${names.join(", ")}`, names.length > 0 && /^[A-Z_][A-Z0-9_]+$/.test(names[0]));
  // When the KB knows the seed's name, it must be offered, and it is the one to follow.
  const seed = "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION";
  const known = (await page.request.get(base + "/api/v1/symbols/" + seed)).ok();
  if (known) check("the seed's name is among the results", names.includes(seed));
  const name = known && names.includes(seed) ? seed : names[0];
  const first = links.nth(names.indexOf(name));
  await page.screenshot({ path: join(shots, "search.png"), fullPage: true });
  await Promise.all([page.waitForURL("**/code/**"), first.click()]);
  const h1 = (await page.locator("h1").textContent()).trim();
  check(`page heading names the code: ${h1}`, h1 === `${name}, 0x80001083`);
  const text = await page.locator("main").innerText();
  for (const form of ["-2147479421", "2147487875", "0x80001083"]) {
    check(`value form ${form} shown`, text.includes(form));
  }
  // The bit box: its row of bits, read without the separators, is 0x80001083 in binary.
  const bitbox = await page.locator("pre.bitbox").first().textContent();
  const bitRow = bitbox.split("\n").find((l) => /^\s*\|[01][01 |]+\|\s*$/.test(l)) || "";
  const bits = bitRow.replace(/[^01]/g, "");
  check(`bit box shows the value's bits: ${bitRow.trim()}`, bits === (0x80001083).toString(2).padStart(32, "0"));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`no sideways scrolling of the page on a phone (${overflow}px)`, overflow <= 0);
  check(`no script errors ${errors.join("; ")}`, errors.length === 0);
  check(`no request left the server ${external.join(" ")}`, external.length === 0);
  await page.screenshot({ path: join(shots, "code.png"), fullPage: true });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
