/*
 * whosaid web page: one page, hash routes, the JSON API of `whosaid serve`
 * (docs/server.md). Every value from the server or the user reaches the
 * page through text nodes or setAttribute on a fixed attribute name: no
 * HTML is ever parsed from data, no code is built from strings, nothing
 * is loaded from elsewhere.
 */
"use strict";

(function () {
  const PAGE = 20;
  const enc = new TextEncoder();
  const dec = new TextDecoder("utf-8");

  /* ---- DOM helpers ---------------------------------------------------- */

  const $ = (id) => document.getElementById(id);

  /* el("a", {class: "x", href: "#/..."}, child...): children are nodes or
   * strings (always text). */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      e.setAttribute(k, String(v));
    }
    for (const k of kids) add(e, k);
    return e;
  }
  function add(parent, ...kids) {
    for (const kid of kids) {
      if (kid === null || kid === undefined || kid === false) continue;
      if (Array.isArray(kid)) { add(parent, ...kid); continue; }
      parent.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  /* A link to an outside page: only http(s) URLs become links. */
  function extLink(url, text) {
    if (typeof url === "string" && /^https?:\/\//i.test(url))
      return el("a", {href: url, rel: "noopener noreferrer nofollow", target: "_blank"}, text || url);
    return text || url || "";
  }
  const route = (parts, params) => {
    let h = "#/" + parts.map((p) => encodeURIComponent(String(p))).join("/");
    const q = new URLSearchParams();
    if (params) for (const k of Object.keys(params))
      if (params[k] !== "" && params[k] !== null && params[k] !== undefined) q.set(k, params[k]);
    const s = q.toString();
    return s ? h + "?" + s : h;
  };
  const fmtInt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "");

  function status(msg, isError) {
    const s = $("status");
    s.textContent = msg || "";
    s.classList.toggle("error", !!isError);
  }

  /* ---- the API -------------------------------------------------------- */

  /* Each render of a route gets a number; an answer that comes back after
   * a newer render started is dropped (its promise never settles), so a
   * slow answer never overwrites the page the user went on to. */
  let renderSeq = 0;

  async function api(path, params, init, my) {
    let url = path;
    if (params) {
      const q = new URLSearchParams();
      for (const k of Object.keys(params))
        if (params[k] !== "" && params[k] !== null && params[k] !== undefined) q.set(k, params[k]);
      const s = q.toString();
      if (s) url += "?" + s;
    }
    const r = await fetch(url, Object.assign({credentials: "same-origin"}, init || {}));
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (my !== undefined && my !== renderSeq) return new Promise(() => {});
    if (!r.ok) {
      const msg = body && typeof body.error === "string" ? body.error : r.status + " " + r.statusText;
      throw new Error(msg);
    }
    return body;
  }

  /* ---- statements: one shape for the store's and extract's ------------ */

  /* Store rows: spans {"content":[[s,e]..],"cue":[s,e]|null,...}, speaker
   * {id,name}. Extract quotes: content [{start,end,text}], speaker
   * {entity,name}. Both become {key, name, speakerId, type, content:[[s,e]],
   * cue, source, text}. */
  function pair(v) {
    if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
    if (v && typeof v === "object" && "start" in v) return [Number(v.start), Number(v.end)];
    return null;
  }
  function fromStore(row) {
    const sp = row.spans || {};
    return {
      id: row.id,
      key: row.speaker ? "s" + row.speaker.id : null,
      name: row.speaker ? row.speaker.name : null,
      speakerId: row.speaker ? row.speaker.id : null,
      type: row.type,
      content: (sp.content || []).map(pair).filter(Boolean),
      cue: pair(sp.cue),
      source: pair(sp.source),
      text: row.content || "",
      cueText: row.cue || "",
      sourceText: row.source || "",
      cluster: row.cluster,
      article: row.article,
    };
  }
  function fromExtract(q) {
    return {
      id: q.id,
      key: q.speaker ? "e" + q.speaker.entity : null,
      name: q.speaker ? q.speaker.name : null,
      speakerId: null,
      type: q.type,
      content: (q.content || []).map(pair).filter(Boolean),
      cue: pair(q.cue),
      source: pair(q.source),
      text: (q.content || []).map((c) => c.text || "").join(" … "),
      cueText: q.cue ? q.cue.text || "" : "",
      sourceText: q.source ? q.source.text || "" : "",
    };
  }

  /* Speaker colours: sp0..sp9 by order of first statement; spx: none. */
  function colourMap(stmts) {
    const m = new Map();
    for (const s of stmts) if (s.key && !m.has(s.key)) m.set(s.key, {i: m.size, name: s.name});
    return m;
  }
  const colourClass = (m, key) => (key && m.has(key) ? "sp" + (m.get(key).i % 10) : "spx");

  function legend(node, cmap, stmts) {
    clear(node);
    const counts = new Map();
    for (const s of stmts) counts.set(s.key, (counts.get(s.key) || 0) + 1);
    for (const [key, v] of cmap)
      add(node, el("span", null, el("span", {class: "swatch " + colourClass(cmap, key), "aria-hidden": "true"}),
        v.name || "?", " (" + counts.get(key) + ")"));
    if (counts.has(null))
      add(node, el("span", null, el("span", {class: "swatch spx", "aria-hidden": "true"}),
        "speaker not resolved (" + counts.get(null) + ")"));
  }

  /* Draws text with the statements' spans (UTF-8 byte offsets) marked:
   * <mark class="hl-content spN" data-stmt="i">, hl-cue, hl-source. */
  function highlight(node, text, stmts, cmap) {
    clear(node);
    const bytes = enc.encode(text);
    const n = bytes.length;
    const marks = [];
    const push = (sp, kind, prio, i) => {
      if (!sp) return;
      const s = Math.max(0, Math.min(n, sp[0])), e = Math.max(0, Math.min(n, sp[1]));
      if (e > s) marks.push({s, e, kind, prio, i});
    };
    stmts.forEach((st, i) => {
      for (const c of st.content) push(c, "content", 1, i);
      push(st.source, "source", 2, i);
      push(st.cue, "cue", 3, i);
    });
    const cuts = new Set([0, n]);
    for (const m of marks) { cuts.add(m.s); cuts.add(m.e); }
    const pts = Array.from(cuts).sort((a, b) => a - b);
    let run = null; /* the open <mark> and the mark object it shows */
    for (let k = 0; k + 1 < pts.length; k++) {
      const a = pts[k], b = pts[k + 1];
      let best = null;
      for (const m of marks)
        if (m.s <= a && m.e >= b && (!best || m.prio > best.prio)) best = m;
      const piece = dec.decode(bytes.subarray(a, b));
      if (!best) { run = null; add(node, piece); continue; }
      if (!run || run.m !== best) {
        const st = stmts[best.i];
        const cls = "hl-" + best.kind + (best.kind === "content" ? " " + colourClass(cmap, st.key) : "");
        const who = st.name || "unresolved speaker";
        const e = el("mark", {class: cls, "data-stmt": best.i, title: who + " (" + best.kind + ")"});
        add(node, e);
        run = {m: best, e};
      }
      add(run.e, piece);
    }
  }

  /* One statement in a list. opts: {article: show its article, n: index
   * for the "show in text" button}. */
  function statementItem(st, cmap, opts) {
    const o = opts || {};
    const li = el("li", {"data-stmt": o.n !== undefined ? o.n : null});
    add(li, el("blockquote", null, el("span", {class: "tag"}, st.type || "?"), st.text));
    const by = el("p", {class: "by"});
    if (cmap) add(by, el("span", {class: "swatch " + colourClass(cmap, st.key), "aria-hidden": "true"}), " ");
    if (st.speakerId) add(by, el("a", {href: route(["speaker", st.speakerId])}, st.name || "?"));
    else add(by, st.name || (st.sourceText ? "“" + st.sourceText + "” (not resolved)" : "no source"));
    if (st.cueText) add(by, " · ", st.cueText);
    const a = st.article;
    if (o.article && a) {
      add(by, " · ", a.site || "", a.date ? ", " + a.date : "", " · ");
      add(by, el("a", {href: route(["article", a.id], {s: st.id})}, a.title || "article " + a.id));
    }
    if (st.cluster) add(by, " · ", el("a", {href: route(["quote", st.cluster])}, "where else"));
    if (o.n !== undefined) {
      const btn = el("button", {type: "button", class: "linkish"}, "show in text");
      btn.addEventListener("click", () => focusStatement(o.container, o.n));
      add(by, " · ", btn);
    }
    add(li, by);
    return li;
  }

  function focusStatement(container, i) {
    if (!container) return;
    for (const m of container.querySelectorAll("mark.current")) m.classList.remove("current");
    const ms = container.querySelectorAll('mark[data-stmt="' + Number(i) + '"]');
    for (const m of ms) m.classList.add("current");
    if (ms.length) ms[0].scrollIntoView({block: "center"});
  }

  /* ---- views ---------------------------------------------------------- */

  const views = ["search", "speakers", "speaker", "article", "quote", "analyze"];
  function show(name, title) {
    for (const v of views) $("view-" + v).hidden = v !== name;
    const navName = name === "speaker" ? "speakers" : name === "analyze" ? "analyze" : name === "speakers" ? "speakers" : "search";
    for (const a of document.querySelectorAll("[data-nav]"))
      if (a.getAttribute("data-nav") === navName) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    document.title = (title ? title + " · " : "") + "whosaid";
  }

  const searchFields = ["in", "q", "speaker", "site", "since", "until", "type"];

  /* The search form in one of its two modes: statements (every filter)
   * or articles (title and body: no speaker or type). */
  function searchMode(articles) {
    $("h-search").textContent = articles ? "Search articles" : "Search statements";
    $("f-q-label").textContent = articles ? "Words in the title or text" : "Words in the statement";
    for (const f of ["speaker", "type"]) $("f-" + f).disabled = articles;
  }

  /* One article result: its title (to the article view), site, date,
   * statements, the snippet with the matched word marked (snippet_match:
   * UTF-8 byte offsets) and its most quoted speakers. */
  function articleItem(a) {
    const li = el("li", {class: "article-hit"});
    add(li, el("p", {class: "title"},
      el("a", {href: route(["article", a.id])}, a.title || "article " + a.id)));
    const snip = el("p", {class: "snippet"});
    const text = typeof a.snippet === "string" ? a.snippet : "";
    const m = pair(a.snippet_match);
    const bytes = enc.encode(text);
    if (m && m[0] >= 0 && m[0] < m[1] && m[1] <= bytes.length)
      add(snip, dec.decode(bytes.subarray(0, m[0])),
        el("mark", {class: "hit"}, dec.decode(bytes.subarray(m[0], m[1]))),
        dec.decode(bytes.subarray(m[1])));
    else add(snip, text);
    add(li, snip);
    const by = el("p", {class: "by"}, [a.site, a.date].filter(Boolean).join(", "), " · ",
      fmtInt(a.n_statements) + " statement" + (a.n_statements === 1 ? "" : "s"));
    (a.speakers || []).forEach((s, i) => add(by, i ? ", " : " · ",
      el("a", {href: route(["speaker", s.id])}, s.name || "?"), " (" + fmtInt(s.statements) + ")"));
    if (a.url) add(by, " · ", extLink(a.url, "original"));
    add(li, by);
    return li;
  }

  async function viewSearch(params) {
    const my = renderSeq;
    show("search", params.get("q") || "");
    for (const f of searchFields) $("f-" + f).value = params.get(f) || "";
    const articles = params.get("in") === "articles";
    searchMode(articles);
    const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
    const q = {limit: PAGE, offset};
    for (const f of searchFields) if (f !== "in") q[f] = params.get(f) || "";
    if (articles) {
      delete q.speaker; delete q.type;
      if (q.q) q.order = "relevance";
    }
    const list = $("search-results");
    status("Searching…");
    let res;
    try { res = await api(articles ? "/api/articles" : "/api/search", q, null, my); } catch (e) {
      clear(list); $("search-count").textContent = "";
      status(e.message, true); return;
    }
    status("");
    clear(list);
    const rows = res.results || [];
    const total = res.total || 0;
    const noun = articles ? "article" : "statement";
    $("search-count").textContent = total === 0 ? "No " + noun + "s found."
      : (res.total_exact === false ? "More than " : "") + fmtInt(total) + " " + noun + (total === 1 ? "" : "s") +
        (total > rows.length ? ", showing " + (offset + 1) + "–" + (offset + rows.length) : "");
    if (articles) for (const a of rows) add(list, articleItem(a));
    else for (const st of rows.map(fromStore)) add(list, statementItem(st, null, {article: true}));
    const prev = $("search-prev"), next = $("search-next");
    prev.disabled = offset === 0;
    next.disabled = offset + rows.length >= total;
    const base = {};
    for (const f of searchFields) base[f] = params.get(f) || "";
    prev.onclick = () => { location.hash = route(["search"], Object.assign({}, base, {offset: Math.max(0, offset - PAGE) || ""})); };
    next.onclick = () => { location.hash = route(["search"], Object.assign({}, base, {offset: offset + PAGE})); };
  }

  async function viewSpeakers(params) {
    const my = renderSeq;
    show("speakers", "Speakers");
    $("s-site").value = params.get("site") || "";
    $("s-q").value = params.get("q") || "";
    const body = $("speakers-table").tBodies[0];
    status("Loading…");
    let res;
    try { res = await api("/api/speakers", {top: 100, site: params.get("site") || "", q: params.get("q") || ""}, null, my); }
    catch (e) { clear(body); status(e.message, true); return; }
    status((res.speakers || []).length ? "" : "No speakers.");
    clear(body);
    for (const s of res.speakers || [])
      add(body, el("tr", null,
        el("td", null, el("a", {href: route(["speaker", s.id])}, s.name || "?")),
        el("td", null, s.title || ""),
        el("td", {class: "num"}, fmtInt(s.statements)),
        el("td", {class: "num"}, fmtInt(s.articles))));
  }

  /* Months from the first to the last, gaps filled with 0. */
  function months(timeline) {
    const m = new Map();
    for (const t of timeline || []) if (t && typeof t.month === "string" && /^\d{4}-\d{2}/.test(t.month))
      m.set(t.month.slice(0, 7), (m.get(t.month.slice(0, 7)) || 0) + (Number(t.statements) || 0));
    const keys = Array.from(m.keys()).sort();
    if (!keys.length) return [];
    const out = [];
    let [y, mo] = keys[0].split("-").map(Number);
    const [ly, lmo] = keys[keys.length - 1].split("-").map(Number);
    while ((y < ly || (y === ly && mo <= lmo)) && out.length < 600) {
      const k = y + "-" + String(mo).padStart(2, "0");
      out.push({month: k, n: m.get(k) || 0});
      if (++mo > 12) { mo = 1; y++; }
    }
    return out;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function drawTimeline(node, caption, timeline) {
    clear(node);
    const data = months(timeline);
    if (!data.length) { caption.textContent = "No dated statements."; return; }
    const W = 720, H = 200, L = 36, R = 8, T = 10, B = 34;
    const max = Math.max(1, ...data.map((d) => d.n));
    const bw = Math.min(48, (W - L - R) / data.length); /* bar slot width */
    const x0 = L + ((W - L - R) - bw * data.length) / 2; /* centred */
    const s = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img", "aria-labelledby": "tl-title"});
    s.appendChild(svg("title", {id: "tl-title"}, "Statements per month, " + data[0].month + " to " + data[data.length - 1].month));
    s.appendChild(svg("line", {class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B}));
    s.appendChild(svg("text", {x: L - 6, y: T + 10, "text-anchor": "end"}, String(max)));
    s.appendChild(svg("text", {x: L - 6, y: H - B, "text-anchor": "end"}, "0"));
    const every = Math.max(1, Math.ceil(data.length / 12));
    data.forEach((d, i) => {
      const h = (H - T - B) * d.n / max;
      const x = x0 + i * bw;
      const r = svg("rect", {class: "bar", x: x + bw * 0.1, y: H - B - h, width: Math.max(1, bw * 0.8), height: h});
      r.appendChild(svg("title", {}, d.month + ": " + d.n + " statement" + (d.n === 1 ? "" : "s")));
      s.appendChild(r);
      if (i % every === 0)
        s.appendChild(svg("text", {x: x + bw / 2, y: H - B + 16, "text-anchor": "middle"}, d.month));
    });
    node.appendChild(s);
    const total = data.reduce((a, d) => a + d.n, 0);
    caption.textContent = fmtInt(total) + " dated statements over " + data.length + " month" + (data.length === 1 ? "" : "s") + ".";
  }

  async function viewSpeaker(id) {
    const my = renderSeq;
    show("speaker", "Speaker");
    status("Loading…");
    let sp, st;
    try {
      [sp, st] = await Promise.all([api("/api/speakers/" + encodeURIComponent(id), null, null, my),
        api("/api/search", {speaker_id: id, limit: 50}, null, my)]);
    } catch (e) { $("h-speaker").textContent = "Speaker"; status(e.message, true); return; }
    status("");
    $("h-speaker").textContent = sp.name || "?";
    show("speaker", sp.name);
    $("speaker-meta").textContent = [sp.title, sp.gender, sp.type,
      fmtInt(sp.statements) + " statement" + (sp.statements === 1 ? "" : "s")].filter(Boolean).join(" · ");
    drawTimeline($("speaker-timeline"), $("speaker-timeline-caption"), sp.timeline);
    const al = $("speaker-aliases");
    clear(al);
    for (const a of sp.aliases || [])
      add(al, el("li", null, a.name || "?", a.title ? ", " + a.title : "",
        el("span", {class: "why"}, " (" + (a.rule || "?") + (a.statements !== undefined ? ", " + a.statements + " st." : "") + ")")));
    const si = $("speaker-sites");
    clear(si);
    for (const s of sp.sites || [])
      add(si, el("li", null, el("a", {href: route(["search"], {speaker: "#" + sp.id, site: s.site})}, s.site || "?"),
        " (" + fmtInt(s.statements) + ")"));
    const list = $("speaker-statements");
    clear(list);
    for (const row of st.results || []) add(list, statementItem(fromStore(row), null, {article: true}));
  }

  async function viewArticle(id, params) {
    const my = renderSeq;
    show("article", "Article");
    status("Loading…");
    let a;
    try { a = await api("/api/articles/" + encodeURIComponent(id), null, null, my); }
    catch (e) { $("h-article").textContent = "Article"; status(e.message, true); return; }
    status("");
    $("h-article").textContent = a.title || a.doc_id || "article " + a.id;
    show("article", a.title || "Article");
    const meta = $("article-meta");
    clear(meta);
    add(meta, [a.site, a.date, a.author].filter(Boolean).join(" · "));
    if (a.url) add(meta, " · ", extLink(a.url, "original"));
    const stmts = (a.statements || []).map(fromStore);
    const cmap = colourMap(stmts);
    legend($("article-legend"), cmap, stmts);
    const body = $("article-body");
    if (typeof a.body === "string") highlight(body, a.body, stmts, cmap);
    else { clear(body); add(body, "(the text of this article is not stored)"); }
    const list = $("article-statements");
    clear(list);
    stmts.forEach((st, i) => add(list, statementItem(st, cmap, {n: i, container: body})));
    const want = params.get("s");
    if (want) {
      const i = stmts.findIndex((s) => String(s.id) === want);
      if (i >= 0) focusStatement(body, i);
    }
  }

  async function viewQuote(id) {
    const my = renderSeq;
    show("quote", "Quote");
    status("Loading…");
    let c;
    try { c = await api("/api/quotes/" + encodeURIComponent(id), null, null, my); }
    catch (e) { status(e.message, true); return; }
    status("");
    const first = $("quote-first");
    clear(first);
    if (c.first) {
      const f = fromStore(c.first);
      add(first, el("blockquote", null, f.text));
      const a = f.article || {};
      add(first, el("p", {class: "by"}, "First seen: ",
        f.speakerId ? el("a", {href: route(["speaker", f.speakerId])}, f.name || "?") : f.name || "unresolved",
        " · ", a.site || "", a.date ? ", " + a.date : "", " · ",
        el("a", {href: route(["article", a.id], {s: f.id})}, a.title || "article " + a.id)));
    }
    $("h-quote").textContent = "Quote in " + fmtInt(c.statements_count) + " statement" +
      (c.statements_count === 1 ? "" : "s") + (c.sites ? ", " + fmtInt(c.sites) + " site" + (c.sites === 1 ? "" : "s") : "");
    const vs = $("quote-variants");
    clear(vs);
    for (const v of c.variants || [])
      add(vs, el("li", null, el("blockquote", null, v.content || ""),
        el("p", {class: "by"}, v.is_first ? "first wording · " : "", v.sites || "", " · ",
          fmtInt(v.statements) + " statement" + (v.statements === 1 ? "" : "s"),
          v.first_date ? " · from " + v.first_date : "")));
    const list = $("quote-statements");
    clear(list);
    for (const row of c.statements || []) add(list, statementItem(fromStore(row), null, {article: true}));
  }

  function viewAnalyze() {
    show("analyze", "Analyse text");
    status("");
  }

  /* Lone surrogates cannot be sent as UTF-8: replace them. */
  const wellFormed = (s) => (typeof s.toWellFormed === "function" ? s.toWellFormed()
    : s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));

  let analyzed = 0; /* analyses shown (data-analyzed, for tests) */
  async function analyze(ev) {
    ev.preventDefault();
    const text = wellFormed($("a-text").value);
    const format = $("a-format").value;
    if (!text.trim()) { status("Paste some text first.", true); return; }
    const btn = $("analyze-go");
    btn.disabled = true;
    status("Analysing…");
    let doc;
    try {
      doc = await api("/api/extract", null, {method: "POST",
        headers: {"Content-Type": "application/json"}, body: JSON.stringify({text, format})});
    } catch (e) { status(e.message, true); btn.disabled = false; return; }
    btn.disabled = false;
    const stmts = (doc.quotes || []).map(fromExtract);
    analyzed++;
    status(stmts.length + " statement" + (stmts.length === 1 ? "" : "s") + " found.");
    const cmap = colourMap(stmts);
    $("analyze-out").hidden = false;
    legend($("analyze-legend"), cmap, stmts);
    const body = $("analyze-body");
    highlight(body, typeof doc.body === "string" ? doc.body : text, stmts, cmap);
    const list = $("analyze-statements");
    clear(list);
    stmts.forEach((st, i) => add(list, statementItem(st, cmap, {n: i, container: body})));
    document.body.setAttribute("data-analyzed", String(analyzed));
  }

  /* ---- routing -------------------------------------------------------- */

  async function render() {
    const my = ++renderSeq;
    const hash = location.hash;
    await route_(hash);
    /* For tests and assistive tools: which route is fully shown. */
    if (my === renderSeq) document.body.setAttribute("data-rendered", hash);
  }

  async function route_(hash) {
    const h = hash.replace(/^#\/?/, "");
    const qi = h.indexOf("?");
    const path = (qi >= 0 ? h.slice(0, qi) : h).split("/").map((p) => { try { return decodeURIComponent(p); } catch (e) { return p; } });
    const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : "");
    const id = path[1] || "";
    switch (path[0]) {
      case "speakers": return viewSpeakers(params);
      case "speaker": return viewSpeaker(id);
      case "article": return viewArticle(id, params);
      case "quote": return viewQuote(id);
      case "analyze": return viewAnalyze();
      default: return viewSearch(params);
    }
  }

  async function loadStats() {
    try {
      const s = await api("/api/stats");
      $("stats").textContent = fmtInt(s.articles) + " articles · " + fmtInt(s.statements) +
        " statements · " + fmtInt(s.speakers) + " speakers";
    } catch (e) { $("stats").textContent = ""; }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("search-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const p = {};
      const arts = $("f-in").value === "articles";
      for (const f of searchFields) p[f] = arts && (f === "speaker" || f === "type") ? "" : $("f-" + f).value.trim();
      const next = route(["search"], p);
      if (location.hash === next) render(); else location.hash = next;
    });
    $("speakers-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = route(["speakers"], {site: $("s-site").value.trim(), q: $("s-q").value.trim()});
    });
    $("f-in").addEventListener("change", () => searchMode($("f-in").value === "articles"));
    $("analyze-form").addEventListener("submit", analyze);
    window.addEventListener("hashchange", () => { render(); $("main").focus({preventScroll: true}); });
    loadStats();
    render();
  });
})();
