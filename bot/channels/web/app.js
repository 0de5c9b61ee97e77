// PolicyBot web page: ask, show the answer with clickable [n] markers, keep the conversation per browser.
// Every piece of text from the server goes through textContent (never innerHTML), so nothing is interpreted as HTML.
"use strict";

(function () {
  const SESSION_KEY = "policybot.session";
  const LOG_KEY = "policybot.log";
  const API_KEY = "policybot.apikey";
  const MAX_TURNS = 40;

  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const form = $("ask-form");
  const box = $("question");
  const askButton = $("ask");
  const status = $("status");

  function store(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function newSession() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function session() {
    let id = load(SESSION_KEY);
    if (!id || !/^web-[0-9a-f]{24}$/.test(id)) { id = newSession(); store(SESSION_KEY, id); }
    return id;
  }
  function turns() {
    try { const t = JSON.parse(load(LOG_KEY) || "[]"); return Array.isArray(t) ? t : []; } catch (e) { return []; }
  }
  function saveTurn(question, answer) {
    const t = turns();
    t.push({ q: question, a: answer });
    store(LOG_KEY, JSON.stringify(t.slice(-MAX_TURNS)));
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function quotePanel(c) {
    const panel = el("div", "quote");
    panel.dataset.n = String(c.n);
    const where = el("div", "where");
    where.appendChild(el("strong", "", "[" + c.n + "] " + (c.title || c.source)));
    if (c.section) where.appendChild(document.createTextNode(" · " + c.section));
    panel.appendChild(where);
    panel.appendChild(el("blockquote", "", c.quote || ""));
    const span = Array.isArray(c.span) && c.span.length === 2 ? " · 第 " + c.span[0] + "–" + c.span[1] + " 字" : "";
    panel.appendChild(el("div", "src", (c.source || "") + span));
    return panel;
  }

  function toggleQuote(bubble, c) {
    const open = bubble.querySelector(".quote");
    const same = open && open.dataset.n === String(c.n);
    if (open) open.remove();
    bubble.querySelectorAll(".cite").forEach((b) => b.setAttribute("aria-expanded", "false"));
    if (same) return;
    bubble.appendChild(quotePanel(c));
    bubble.querySelectorAll('.cite[data-n="' + c.n + '"]').forEach((b) => b.setAttribute("aria-expanded", "true"));
  }

  function citeButton(bubble, c, label) {
    const b = el("button", "cite", label);
    b.type = "button";
    b.dataset.n = String(c.n);
    b.setAttribute("aria-expanded", "false");
    b.title = (c.title || "") + (c.section ? " · " + c.section : "");
    b.addEventListener("click", () => toggleQuote(bubble, c));
    return b;
  }

  function renderAnswer(a) {
    const bubble = el("div", "bot" + (a.found ? "" : " not-found"));
    const byN = new Map((a.citations || []).map((c) => [String(c.n), c]));
    const p = el("p", "answer");
    const parts = String(a.answer || "").split(/(\[\d+\])/);
    for (const part of parts) {
      const m = /^\[(\d+)\]$/.exec(part);
      if (m && byN.has(m[1])) p.appendChild(citeButton(bubble, byN.get(m[1]), part));
      else if (part) p.appendChild(document.createTextNode(part));
    }
    bubble.appendChild(p);
    if (byN.size) {
      const list = el("ul", "sources");
      for (const c of a.citations) {
        const li = el("li");
        const b = el("button", "", "[" + c.n + "] " + [c.title, c.section ? c.section.split(" > ").pop() : ""].filter(Boolean).join(" · "));
        b.type = "button";
        b.addEventListener("click", () => toggleQuote(bubble, c));
        li.appendChild(b);
        list.appendChild(li);
      }
      bubble.appendChild(list);
    }
    return bubble;
  }

  function addTurn(question, answer) {
    const hint = $("empty-hint");
    if (hint) hint.remove();
    const turn = el("section", "turn");
    turn.appendChild(el("div", "you", question));
    turn.appendChild(answer ? renderAnswer(answer) : el("div", "bot pending", "正在查找…"));
    log.appendChild(turn);
    turn.scrollIntoView({ block: "end" });
    return turn;
  }

  function say(text, isError) {
    status.textContent = text || "";
    status.className = isError ? "error" : "";
  }

  async function ask(question) {
    const headers = { "Content-Type": "application/json" };
    const key = load(API_KEY);
    if (key) headers["X-API-Key"] = key;
    const resp = await fetch("/api/ask", { method: "POST", headers, body: JSON.stringify({ question, session: session() }) });
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    return { status: resp.status, body };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = box.value.trim();
    if (!question) { say("请输入一个问题。", true); return; }
    askButton.disabled = true;
    say("");
    const turn = addTurn(question, null);
    try {
      const { status: code, body } = await ask(question);
      const pending = turn.querySelector(".pending");
      if (code === 200 && body) {
        pending.replaceWith(renderAnswer(body));
        saveTurn(question, body);
        box.value = "";
      } else {
        turn.remove();
        if (code === 401) { $("key-box").hidden = false; say("请先填写 API key。", true); }
        else if (code === 422) say((body && body.detail) || "问题无效，请换个说法。", true);
        else say("服务暂时不可用，请稍后再试。", true);
      }
    } catch (e) {
      turn.remove();
      say("网络出错，请稍后再试。", true);
    } finally {
      askButton.disabled = false;
      box.focus();
    }
  });

  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  $("save-key").addEventListener("click", () => {
    store(API_KEY, $("api-key").value.trim() || null);
    $("key-box").hidden = true;
    say("已保存，请重新提问。");
  });

  $("new-chat").addEventListener("click", async () => {
    const old = load(SESSION_KEY);
    store(SESSION_KEY, null);
    store(LOG_KEY, null);
    log.replaceChildren();
    say("已开始新的对话。");
    if (old) {
      const headers = { "Content-Type": "application/json" };
      const key = load(API_KEY);
      if (key) headers["X-API-Key"] = key;
      fetch("/api/reset", { method: "POST", headers, body: JSON.stringify({ session: old }) }).catch(() => {});
    }
  });

  for (const t of turns()) {
    if (t && typeof t.q === "string" && t.a && typeof t.a === "object") addTurn(t.q, t.a);
  }
})();
