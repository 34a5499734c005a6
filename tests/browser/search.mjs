// Types 0x80001083 into werr's search box in a real Chromium, follows the first result and
// checks the page: the name, the value's three forms, the bit box. Then the pages as a person
// sees them: the answer first with the words marked, the seed's code page under its height
// budget at 1280 px, no sideways scrolling at 375 px, `?lang=` falling back and saying so.
// Saves screenshots.
// Usage: node search.mjs BASE_URL SCREENSHOT_DIR   (tests/browser/run.sh starts the server on
// a KB with the seed's texts)
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

  // As-you-type for words: the leading text line under each name, the words marked.
  await page.goto(base + "/");
  await page.locator("#q").pressSequentially("module could not be found", { delay: 10 });
  await page.locator('#results[data-query="module could not be found"]').waitFor({ state: "attached", timeout: 10000 });
  const marks = await page.locator("#results mark").allTextContents();
  check(`matched words are marked: ${marks.slice(0, 5).join(", ")}`, marks.some((m) => m.toLowerCase() === "module"));
  const snippet = await page.locator("#results li .snippet").first().textContent();
  check(`results show their text: ${snippet}`, /could not be found/i.test(snippet));
  // A value: the answer first, the other names folded.
  await page.locator("#q").fill("");
  await page.locator("#q").pressSequentially("0x80070005", { delay: 10 });
  await page.locator('#results[data-query="0x80070005"]').waitFor({ state: "attached", timeout: 10000 });
  const firstLead = await page.locator("#results > li.lead a").first().textContent();
  check(`the answer leads: ${firstLead}`, firstLead === "E_ACCESSDENIED");
  const folded = await page.locator("#results > li.more details:not([open]) li").count();
  check(`the other names are folded (${folded})`, folded > 0);
  const credit = await page.locator("#results > li.lead .credit").first().textContent();
  check(`Microsoft's text is credited: ${credit}`, credit.includes("CC-BY-4.0") && credit.includes("desktop-src/"));
  await page.screenshot({ path: join(shots, "search-value.png"), fullPage: true });

  // The seed's code page, wide and narrow.
  const seedPage = base + "/code/" + seed;
  const budget = 3500;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(seedPage);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (width === 1280) check(`seed code page at 1280 px is ${height} px tall (budget ${budget})`, height < budget);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`no sideways scrolling of the page at ${width} px (${sideways}px)`, sideways <= 0);
    await page.screenshot({ path: join(shots, `code-${width}.png`), fullPage: true });
  }
  // At 375 px the long lines of preformatted blocks scroll inside their block.
  const inner = await page.evaluate(() =>
    [...document.querySelectorAll("main pre")].some((p) => p.scrollWidth > p.clientWidth));
  check("long preformatted lines scroll inside their block", inner);
  for (const path of ["/?q=access+denied", "/value/0x8007007E", "/about"]) {
    await page.goto(base + path);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`no sideways scrolling of ${path} at 375 px (${sideways}px)`, sideways <= 0);
  }

  // ?lang= for a language the code has no text in: its English text, and the page says so
  // (a reader whose browser asks for no English, else English is what was asked).
  await page.setViewportSize({ width: 1280, height: 900 });
  const irishReader = (route) =>
    route.continue({ headers: { ...route.request().headers(), "accept-language": "ga" } });
  await page.route("**/code/**", irishReader);
  const irish = await page.goto(seedPage + "?lang=ga");
  const description = await page.locator("dl.fields dd").nth(3).innerText();
  check(`?lang=ga answers ${irish.status()}`, irish.status() === 200);
  check(`?lang=ga falls back to English and says so: ${description.slice(-40)}`,
    description.includes("TCP/IP failed to establish") && description.includes("No text in ga; showing en-US."));
  await page.screenshot({ path: join(shots, "code-lang-fallback.png"), fullPage: true });
  await page.unroute("**/code/**", irishReader);
  await page.goto(seedPage + "?lang=de");
  const german = await page.locator("dl.fields dd").nth(3).innerText();
  check("?lang=de shows the German text", german.startsWith("TCP/IP konnte keine ausgehende Verbindung"));
  const malformed = await page.goto(seedPage + "?lang=de--AT");
  check(`a malformed ?lang= is the only 400 (${malformed.status()})`, malformed.status() === 400);
  check(`no script errors ${errors.join("; ")}`, errors.length === 0);
  check(`no request left the server ${external.join(" ")}`, external.length === 0);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
