// The playground's page: draws every chat from /api/state (polled), acts through /api/act.
"use strict";

const $ = (selector) => document.querySelector(selector);
const page = { version: "", chats: [], people: [], texts: {}, chat: null, person: null, replyTo: null,
  opened: new Set() };

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) if (child != null) node.append(child);
  return node;
}

async function act(request, address) {
  $("#error").textContent = "";
  try {
    const response = await fetch(address || "/api/act", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request),
    });
    const body = await response.json();
    if (!response.ok) { $("#error").textContent = body.error; return false; }
    poll(true);
    return true;
  } catch (error) {
    $("#error").textContent = page.texts.connection || String(error);
    return false;
  }
}

let timer = null;
async function poll(once) {
  try {
    const response = await fetch("/api/state?since=" + encodeURIComponent(page.version));
    const body = await response.json();
    if (body.chats) { Object.assign(page, body); render(); }
  } catch (error) { /* the next poll tries again */ }
  if (!once) timer = setTimeout(poll, 400);
}

function person() { return page.people.find((p) => p.id === page.person); }

function chats() {
  // every existing chat, and the chosen person's private chat even before it holds anything
  const all = [...page.chats];
  const me = person();
  if (me && !all.some((c) => c.id === me.id)) {
    all.push({ id: me.id, kind: "private", members: [], keyboard: [], messages: [],
      title: page.texts.private_of.replace("{person}", me.name) });
  }
  return all;
}

function currentChat() { return chats().find((c) => c.id === page.chat); }

function choose(chatId) {
  page.chat = chatId;
  page.replyTo = null;
  const chat = currentChat();
  if (chat && chat.kind === "private") page.person = chat.id;
  else if (chat && !chat.members.some((m) => m.id === page.person) && chat.members.length) {
    page.person = chat.members[0].id;
  }
  render(true);
}

function render(moved) {
  const t = page.texts;
  document.title = t.title;
  $("#intro").textContent = t.intro;
  $("#acting-as").textContent = t.acting_as + " ";
  $("#groups-heading").textContent = t.groups;
  $("#privates-heading").textContent = t.privates;
  $("#members-heading").textContent = t.members;
  $("#send").textContent = t.send;
  $("#cancel-reply").textContent = t.cancel;
  $("#keyboard-heading").textContent = t.keyboard;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t[node.dataset.text];
  $("#text").placeholder = t.write;
  $("#text").setAttribute("aria-label", t.write);
  if (page.person === null && page.people.length) page.person = page.people[0].id;
  if (page.chat === null && page.chats.length) page.chat = page.chats[0].id;
  const focused = document.activeElement && document.activeElement.dataset.key;
  renderPeople();
  renderTabs();
  renderScenes();
  renderChat(moved);
  if (focused) {
    const again = document.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

function renderPeople() {
  const select = $("#person");
  select.replaceChildren(...page.people.map((p) => {
    const roles = p.roles.map((r) => `${r.role} · ${r.title}`).join("; ");
    return el("option", { value: p.id, textContent: roles ? `${p.name} — ${roles}` : p.name,
      selected: p.id === page.person });
  }));
}

function renderTabs() {
  const tab = (chat) => {
    const shown = chat.messages.filter((m) => !m.service && !m.deleted).length;
    const button = el("button", { type: "button", role: "tab", className: "tab" },
      chat.title + " ", el("span", { className: "count", textContent: `(${shown})` }));
    button.dataset.chat = chat.id;
    button.dataset.key = "tab:" + chat.id;
    button.setAttribute("aria-selected", String(chat.id === page.chat));
    button.addEventListener("click", () => choose(chat.id));
    return button;
  };
  const all = chats();
  $("#group-tabs").replaceChildren(...all.filter((c) => c.kind !== "private").map(tab));
  $("#private-tabs").replaceChildren(...all.filter((c) => c.kind === "private").map(tab));
}

function renderScenes() {
  const t = page.texts;
  $("#scenes-heading").textContent = t.scenes;
  $("#scenes-heading").hidden = !(page.scenes || []).length;
  if (page.problem) $("#error").textContent = page.problem;
  $("#scenes").replaceChildren(...(page.scenes || []).map((scene) => {
    const total = scene.steps.length;
    const steps = el("ol", null, ...scene.steps.map((caption, i) => el("li", {
      textContent: caption, className: i < scene.done ? "done" : i === scene.done ? "next" : "" })));
    const button = (label, all) => {
      const b = el("button", { type: "button", textContent: label, disabled: page.busy });
      b.dataset.key = `scene:${scene.key}:${all}`;
      b.addEventListener("click", () => act({ scene: scene.key, all }, "/api/scene"));
      return b;
    };
    const progress = t.step_of.replace("{done}", scene.done).replace("{total}", total);
    const open = page.opened.has(scene.key) || (scene.done > 0 && scene.done < total);
    const details = el("details", { className: "scene", open },
      el("summary", null, scene.title + " ", el("span", { className: "count", textContent: `(${progress})` })),
      steps, el("div", { className: "scene-buttons" }, button(t.next_step, false), button(t.play_all, true)));
    details.dataset.scene = scene.key;
    details.addEventListener("toggle", () => {
      if (details.open) page.opened.add(scene.key); else page.opened.delete(scene.key);
    });
    return details;
  }));
}

function renderChat(moved) {
  const t = page.texts;
  const chat = currentChat();
  if (!chat) return;
  $("#chat-title").textContent = chat.title;
  $("#chat").dataset.chat = chat.id;
  const list = $("#messages");
  const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  const items = chat.messages.map((m) => message(chat, m));
  list.replaceChildren(...(items.length ? items : [el("li", { className: "message service", textContent: t.empty })]));
  if (atEnd || moved) list.scrollTop = list.scrollHeight;
  const replying = $("#replying");
  const replied = chat.messages.find((m) => m.id === page.replyTo);
  replying.hidden = !replied;
  if (replied) replying.querySelector("span").textContent = `${t.replying_to} ${replied.sender}: ${(replied.text || "").slice(0, 60)}`;
  renderKeyboard(chat);
  const members = $("#members ul");
  members.replaceChildren(...chat.members.map((m) => {
    const become = el("button", { type: "button", textContent: m.id === page.person ? "✓" : t.act_as,
      disabled: m.id === page.person });
    become.dataset.key = "become:" + m.id;
    become.setAttribute("aria-label", `${t.act_as}: ${m.name}`);
    become.addEventListener("click", () => { page.person = m.id; render(); });
    return el("li", null, el("span", null, el("span", { textContent: m.name + " " }),
      el("span", { className: "role", textContent: m.role })), become);
  }));
}

function message(chat, m) {
  const t = page.texts;
  const item = el("li", { className: "message" });
  item.dataset.id = m.id;
  if (m.deleted) { item.classList.add("deleted"); item.textContent = `${m.time} ${m.sender} · ${t.deleted}`; return item; }
  if (m.service) { item.classList.add("service"); item.textContent = `${m.time} ${m.service}`; return item; }
  if (m.bot) item.classList.add("bot");
  if (m.from === page.person) item.classList.add("mine");
  const meta = el("div", { className: "meta" }, el("span", { className: "sender", textContent: m.sender }),
    el("time", { textContent: m.time }));
  if (m.edited) meta.append(el("span", { className: "edited", textContent: t.edited }));
  const reply = el("button", { type: "button", className: "reply-action", textContent: t.reply });
  reply.dataset.key = `reply:${chat.id}:${m.id}`;
  reply.addEventListener("click", () => { page.replyTo = m.id; render(); $("#text").focus(); });
  meta.append(reply);
  item.append(meta);
  if (m.reply_to) item.append(el("div", { className: "quote", textContent: `${m.reply_to.sender}: ${m.reply_to.text}` }));
  item.append(el("div", { className: "text", textContent: m.text }));
  for (const row of m.buttons) {
    item.append(el("div", { className: "inline-buttons" }, ...row.map((b) => {
      const button = el("button", { type: "button", textContent: b.text });
      button.dataset.key = `press:${chat.id}:${m.id}:${b.data}`;
      button.addEventListener("click", () => act({ action: "press", chat: chat.id, message: m.id,
        person: page.person, data: b.data }));
      return button;
    })));
  }
  return item;
}

function renderKeyboard(chat) {
  const box = $("#keyboard");
  const rows = chat.kind === "private" && chat.id === page.person ? chat.keyboard : [];
  box.hidden = !rows.length;
  box.querySelector(".rows").replaceChildren(...rows.map((row) => el("div", null, ...row.map((b) => {
    const button = el("button", { type: "button", textContent: b.text });
    button.dataset.key = "tap:" + b.text;
    button.addEventListener("click", () => act({ action: "tap", person: page.person, label: b.text }));
    return button;
  }))));
}

$("#person").addEventListener("change", (event) => {
  page.person = Number(event.target.value);
  const chat = currentChat();
  if (chat && chat.kind === "private") page.chat = page.person;
  render(true);
});
$("#cancel-reply").addEventListener("click", () => { page.replyTo = null; render(); });
$("#composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("#text").value;
  if (!text.trim()) return;
  const request = { action: "post", chat: page.chat, person: page.person, text };
  if (page.replyTo !== null) request.reply_to = page.replyTo;
  if (await act(request)) { $("#text").value = ""; page.replyTo = null; render(); }
});
$("#text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("#composer").requestSubmit(); }
  if (event.key === "Escape") { page.replyTo = null; render(); }
});
function form(selector, action, done) {
  $(selector).addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.target).entries());
    const request = { action, person: page.person, chat: page.chat, ...fields };
    const response = await fetch("/api/act", { method: "POST",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(request) });
    const body = await response.json();
    $("#error").textContent = response.ok ? "" : body.error;
    if (response.ok) { event.target.reset(); await poll(true); done(body); render(true); }
  });
}
form("#location-form", "location", () => {});
form("#join-form", "join", (body) => { page.chat = body.chat; });
form("#group-form", "add_bot", (body) => { page.chat = body.chat; });
form("#person-form", "new_person", (body) => { page.person = body.person; page.chat = body.person; });
$("#share-contact").addEventListener("click", () => act({ action: "share_contact", person: page.person }));
poll();
