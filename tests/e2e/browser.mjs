// tests/e2e/browser.mjs - drives Debian's chromium (headless) through the
// whosaid web page with playwright-core: search, search articles, open an article, check the
// highlights against the API, render XSS payloads as text, paste text and
// analyse it, open a speaker's timeline, save a screenshot.
// Usage: node browser.mjs BASE_URL SCREENSHOT_PATH USER_DATA_DIR
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed".
import { chromium } from "playwright-core";

const [base, shot, userDir] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(cond, what, detail) {
  if (cond) { passed++; console.log("ok - " + what); }
  else { failed++; console.log("not ok - " + what + (detail !== undefined ? ": " + JSON.stringify(detail) : "")); }
}
async function api(path, init) {
  const r = await fetch(base.replace(/\/$/, "") + path, init);
  return r.json();
}
// Polls fn(arg) in the page through page.evaluate (CDP callFunctionOn):
// page.waitForFunction builds its predicate with eval, which the page's CSP
// (no 'unsafe-eval') forbids.
async function waitFor(page, fn, arg, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    let last = null;
    try { if (await page.evaluate(fn, arg)) return; } catch (e) { last = e; } // a navigation: retry
    if (Date.now() > end) throw new Error("timed out waiting for " + String(fn).slice(0, 120) + (last ? ": " + last : ""));
    await new Promise((r) => setTimeout(r, 50));
  }
}
// Waits until the page has fully shown a route whose hash matches re (the
// page sets body[data-rendered] to the hash it finished rendering).
async function rendered(page, re) {
  await waitFor(page, (src) => document.body.getAttribute("data-rendered") === location.hash &&
    new RegExp(src).test(location.hash), re.source);
}
// Clicks sel and waits for the next analysis to be shown (body[data-analyzed]).
async function analyzeClick(page, sel) {
  const before = await page.evaluate(() => Number(document.body.getAttribute("data-analyzed") || 0));
  await page.click(sel);
  await waitFor(page, (n) => Number(document.body.getAttribute("data-analyzed") || 0) > n, before);
}
const utf8 = (s) => Buffer.from(s, "utf8");
const slice = (body, sp) => utf8(body).subarray(sp[0], sp[1]).toString("utf8");

const dialogs = [], pageErrors = [], outside = [];
const ctx = await chromium.launchPersistentContext(userDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions"],
  viewport: { width: 1280, height: 900 },
});
const timer = setTimeout(() => { console.log("not ok - browser test timed out"); process.exit(1); }, 50000);
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(10000);
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url()); });

  // 1. The page loads, with its stats.
  await page.goto(base);
  await rendered(page, /^$/);
  await waitFor(page, () => document.getElementById("stats").textContent.length > 0);
  check(/articles/.test(await page.textContent("#stats")), "the page loads and shows the store's counts");

  // 2. Search with a filter.
  const want = await api("/api/search?q=ultimatums&limit=20");
  await page.fill("#f-q", "ultimatums");
  await page.click("#search-go");
  await rendered(page, /q=ultimatums/);
  const nres = await page.locator("#search-results > li").count();
  check(nres === want.results.length && nres >= 2, "search 'ultimatums' lists the API's results", [nres, want.results.length]);
  await page.selectOption("#f-type", "indirect");
  await page.fill("#f-site", "tass.com");
  await page.fill("#f-q", "");
  await page.click("#search-go");
  const want2 = await api("/api/search?type=indirect&site=tass.com&limit=20");
  await rendered(page, /type=indirect&.*site=tass.com|site=tass.com&.*type=indirect/);
  const n2 = await page.locator("#search-results > li").count();
  check(want2.results.length > 0 && n2 === want2.results.length,
    "filtered search (type, site) shows the filtered results", [n2, want2.results.length]);

  // 3. Open an article from the results and check its highlights.
  await page.fill("#f-q", "ultimatums");
  await page.fill("#f-site", "");
  await page.selectOption("#f-type", "");
  await page.click("#search-go");
  await rendered(page, /^#\/search\?q=ultimatums$/);
  // The Reuters article: two speakers (Lavrov and the Commission's spokesman).
  await page.locator("#search-results > li", { hasText: "reuters.com" }).first()
    .locator('a[href^="#/article/"]').click();
  await rendered(page, /^#\/article\/\d+/);
  const artId = Number((await page.evaluate(() => location.hash)).match(/article\/(\d+)/)[1]);
  const art = await api("/api/articles/" + artId);
  const withContent = art.statements.filter((s) => s.spans && s.spans.content.length > 0);
  const marks = await page.evaluate(() => Array.from(document.querySelectorAll("#article-body mark.hl-content"))
    .map((m) => ({ i: Number(m.getAttribute("data-stmt")), t: m.textContent, c: m.className })));
  const seen = new Set(marks.map((m) => m.i));
  check(seen.size === withContent.length && seen.size > 0, "every statement of the article is highlighted",
    [seen.size, withContent.length]);
  let textOk = true;
  art.statements.forEach((s, i) => {
    const got = marks.filter((m) => m.i === i).map((m) => m.t).join("");
    const exp = (s.spans.content || []).map((sp) => slice(art.body, sp)).join("");
    // A cue or source inside the content is marked on its own; allow that.
    if (got !== exp && !exp.includes(got)) { textOk = false; console.log("# stmt", i, JSON.stringify(got), JSON.stringify(exp)); }
  });
  check(textOk, "the highlighted text is the statements' content spans");
  const bodyText = await page.textContent("#article-body");
  check(bodyText === art.body, "the article body is shown whole, as text");
  const cls = new Map();
  let colourOk = true;
  marks.forEach((m) => {
    const sp = art.statements[m.i].speaker;
    const key = sp ? sp.id : null;
    const c = m.c.split(" ").find((x) => /^sp/.test(x));
    if (cls.has(key) && cls.get(key) !== c) colourOk = false;
    cls.set(key, c);
  });
  const distinct = new Set(Array.from(cls.entries()).filter(([k]) => k !== null).map(([, c]) => c));
  check(colourOk && distinct.size >= 2 && distinct.size === Array.from(cls.keys()).filter((k) => k !== null).length,
    "each speaker has its own colour", Array.from(cls.entries()));
  const sParam = (await page.evaluate(() => location.hash)).match(/[?&]s=(\d+)/);
  const cur = await page.locator("#article-body mark.hl-content.current").allTextContents();
  const clicked = sParam && art.statements.find((s) => String(s.id) === sParam[1]);
  check(clicked && cur.length > 0 && clicked.content.includes(cur.join("").trim().slice(0, 20)),
    "the statement clicked in the results is outlined in the article", cur);
  const listed = await page.locator("#article-statements > li").allTextContents();
  check(listed.length === art.statements.length &&
    art.statements.every((s, i) => listed[i].includes(s.content) && (!s.cue || listed[i].includes(s.cue)) &&
      (!s.speaker || listed[i].includes(s.speaker.name))),
    "the statement list shows content, cue and speaker", listed);
  const cues = await page.locator("#article-body mark.hl-cue").count();
  check(cues === art.statements.filter((s) => s.spans.cue).length, "cues are marked", cues);
  await page.screenshot({ path: shot, fullPage: true });

  // 3b. Article search: the "articles" switch lists the API's articles in
  // its order, marks the word in each snippet, shows the XSS title as text,
  // and a title opens the article view.
  await page.goto(base + "#/search");
  await rendered(page, /^#\/search$/);
  await page.selectOption("#f-in", "articles");
  check(await page.isDisabled("#f-speaker") && await page.isDisabled("#f-type"),
    "articles: speaker and type are off");
  await page.fill("#f-q", "sanctions");
  await page.click("#search-go");
  await rendered(page, /in=articles&q=sanctions/);
  const wantA = await api("/api/articles?q=sanctions&order=relevance&limit=20");
  const titles = await page.locator("#search-results > li .title").allTextContents();
  check(wantA.results.length === 2 && titles.join("|") === wantA.results.map((r) => r.title).join("|"),
    "article search lists the API's articles in its order", titles);
  const hits = await page.locator("#search-results mark.hit").allTextContents();
  check(hits.length === 2 && hits.every((h) => h.toLowerCase().startsWith("sanction")),
    "each snippet marks the matched word", hits);
  check((await page.textContent("#h-search")) === "Search articles", "the heading says articles");
  await page.fill("#f-q", "xss");
  await page.click("#search-go");
  await rendered(page, /in=articles&q=xss/);
  const xa = await page.textContent("#search-results");
  check(xa.includes('<script>alert("xss-title")</script>') && xa.includes("onerror="),
    "the XSS title renders as text in article results");
  check(await page.evaluate(() => document.querySelectorAll("img, [onerror]").length) === 0,
    "article results inject no element");
  await page.locator('#search-results .title a[href^="#/article/"]').first().click();
  await rendered(page, /^#\/article\/\d+$/);
  check((await page.textContent("#h-article")).includes("<script>"), "an article result opens the article view");

  // 4. XSS: the article whose title and quote hold <script> and onerror.
  const xs = await api("/api/search?site=example.org&limit=5");
  const xid = xs.results[0].article.id;
  await page.goto(base + "#/article/" + xid);
  await rendered(page, new RegExp("^#/article/" + xid + "$"));
  const h1 = await page.textContent("#h-article");
  check(h1.includes('<script>alert("xss-title")</script>') && h1.includes("onerror="), "the XSS title renders as text", h1);
  const xbody = await page.textContent("#article-body");
  check(xbody.includes("<script>alert('xss-quote')</script>") && xbody.includes("onerror=alert('xss-img')"),
    "the XSS quote renders as text in the article");
  const xmark = await page.locator("#article-body mark.hl-content").allTextContents();
  check(xmark.join("").includes("<script>"), "the XSS quote is highlighted as text", xmark);
  // Back to a search that lists the XSS statement and its title.
  await page.goto(base + "#/search?site=example.org");
  await rendered(page, /^#\/search\?site=example.org$/);
  const listText = await page.textContent("#search-results");
  check(listText.includes("<script>") && listText.includes("onerror"), "the XSS statement and title render as text in search results");
  const injected = await page.evaluate(() => ({
    scripts: Array.from(document.scripts).map((s) => s.src),
    imgs: document.querySelectorAll("img").length,
    onerror: document.querySelectorAll("[onerror]").length,
  }));
  check(injected.scripts.length === 1 && /\/static\/app\.js$/.test(injected.scripts[0]) &&
    injected.imgs === 0 && injected.onerror === 0, "no element was injected", injected);

  // 5. A speaker's page with its timeline.
  await page.locator('#search-results a[href^="#/speaker/"]').first().click();
  await rendered(page, /^#\/speaker\/\d+$/);
  const bars = await page.locator("#speaker-timeline svg rect.bar").count();
  check(bars >= 1, "the speaker page draws a timeline", bars);
  const sp = await page.textContent("#h-speaker");
  check(sp === "Jane Doe", "the speaker page names the speaker", sp);

  // The speakers list, with a site filter.
  await page.goto(base + "#/speakers?site=reuters.com");
  const wantSp = await api("/api/speakers?top=100&site=reuters.com");
  await rendered(page, /^#\/speakers\?site=reuters.com$/);
  check(await page.locator("#speakers-table tbody tr").count() === wantSp.speakers.length,
    "the speakers list has the API's rows");
  const firstRow = await page.locator("#speakers-table tbody tr").first().textContent();
  check(wantSp.speakers.length >= 2 && firstRow.includes(wantSp.speakers[0].name),
    "the speakers list (site=reuters.com) shows the API's ranking", firstRow);

  // 6. Paste text and analyse it.
  const text = "Prime Minister Anna Berg said on Tuesday that the budget would be balanced by 2026.\n\n" +
    "\"We have made hard choices <img src=x onerror=alert('xss-paste')>,\" Berg told parliament. " +
    "Opposition leader Tom Lund said the plan would hurt pensioners.";
  await page.goto(base + "#/analyze");
  await rendered(page, /^#\/analyze$/);
  await page.fill("#a-text", text);
  await analyzeClick(page, "#analyze-go");
  const ex = await api("/api/extract", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text }) });
  const amarks = await page.evaluate(() => Array.from(document.querySelectorAll("#analyze-body mark.hl-content"))
    .map((m) => ({ i: Number(m.getAttribute("data-stmt")), t: m.textContent })));
  const aseen = new Set(amarks.map((m) => m.i));
  check(ex.quotes.length >= 2 && aseen.size === ex.quotes.filter((q) => q.content.length).length,
    "pasted text: every statement is highlighted", [aseen.size, ex.quotes.length]);
  let aok = true;
  ex.quotes.forEach((q, i) => {
    const got = amarks.filter((m) => m.i === i).map((m) => m.t).join("");
    const exp = q.content.map((c) => c.text).join("");
    if (got !== exp && !exp.includes(got)) { aok = false; console.log("# pasted", i, JSON.stringify(got), JSON.stringify(exp)); }
  });
  check(aok, "pasted text: the highlights are the content spans");
  check((await page.textContent("#analyze-body")) === text, "pasted text is shown whole, as text");
  const items = await page.locator("#analyze-statements > li").count();
  check(items === ex.quotes.length, "pasted text: the statements are listed", items);
  await page.screenshot({ path: shot.replace(/\.png$/, "-analyze.png"), fullPage: true });

  // The same box with an HTML page: the article text is extracted first.
  const html = "<html><head><title>Budget &lt;b&gt;</title><script>alert('xss-html')</script></head><body>" +
    "<nav>Home | News</nav><article><p>Prime Minister Anna Berg said on Tuesday that the budget " +
    "would be balanced by 2026.</p><p>\"We have made hard choices,\" Berg told parliament.</p></article></body></html>";
  await page.fill("#a-text", html);
  await page.selectOption("#a-format", "html");
  await analyzeClick(page, "#analyze-go");
  const hbody = await page.textContent("#analyze-body");
  const hmarks = await page.locator("#analyze-body mark.hl-content").allTextContents();
  check(hbody.includes("Prime Minister Anna Berg") && !hbody.includes("<p>") && !hbody.includes("Home | News") &&
    hmarks.some((t) => t.includes("We have made hard choices")),
    "an HTML page is analysed: its article text is shown and highlighted", [hbody.slice(0, 80), hmarks]);

  // 7. Nothing ran that should not have, nothing came from elsewhere.
  check(dialogs.length === 0, "no dialog opened (no script from the data ran)", dialogs);
  check(pageErrors.length === 0, "no page errors", pageErrors);
  check(outside.length === 0, "nothing was loaded from outside the server", outside);
} catch (e) {
  failed++;
  console.log("not ok - " + String(e && e.stack || e).split("\n").slice(0, 3).join(" | "));
} finally {
  clearTimeout(timer);
  await ctx.close();
}
console.log("screenshot: " + shot);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
