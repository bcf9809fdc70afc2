// Persona studio: validation as you type, and the live hidden-state panel of a try-it session.
// Server answers are inserted with textContent only, never as HTML.
"use strict";
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  // --- validation as you type (the server still validates every save) ---
  const editor = document.querySelector("textarea[data-persona-id]");
  const status = document.getElementById("validation");
  if (editor && status) {
    let timer = null;
    let last = null;
    async function validate() {
      const text = editor.value;
      if (text === last) return;
      last = text;
      try {
        const response = await fetch("/api/studio/validate", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ yaml: text, persona_id: editor.dataset.personaId }),
        });
        const body = await response.json();
        status.replaceChildren();
        if (!response.ok) {
          status.textContent = (body.error && body.error.message) || "Validation impossible.";
          return;
        }
        if (body.valid) {
          status.className = "valid";
          status.textContent = "Définition valide.";
          return;
        }
        status.className = "error";
        const list = document.createElement("ul");
        for (const error of body.errors) {
          const item = document.createElement("li");
          item.textContent = error.line;
          list.append(item);
        }
        status.append(list);
      } catch (e) {
        status.textContent = "";
      }
    }
    editor.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(validate, 600);
    });
  }

  // --- try-it: refresh the hidden-state panel after every persona reply ---
  const panel = document.getElementById("state-panel");
  const transcript = document.getElementById("transcript");
  if (!panel || !transcript) return;
  const sessionId = panel.dataset.sessionId;
  const numberFr = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
  function num(value) { return typeof value === "number" ? numberFr.format(value) : (value == null ? "—" : String(value)); }
  function list(values) { return values && values.length ? values.map(num).join(", ") : "—"; }
  function set(id, value) {
    const node = document.getElementById(id);
    if (!node) return;
    const text = String(value);
    if (node.textContent !== text) {
      node.textContent = text;
      node.classList.add("changed");
    }
  }
  async function refresh() {
    const response = await fetch("/api/studio/trials/" + sessionId + "/state", { credentials: "same-origin" });
    if (!response.ok) return;
    const s = await response.json();
    for (const node of panel.querySelectorAll(".changed")) node.classList.remove("changed");
    set("st-turn", s.turn);
    set("st-stage", s.stage_label);
    set("st-trust", num(s.trust));
    set("st-tension", num(s.tension));
    set("st-needs", list(s.revealed_needs) + " / " + s.needs.length);
    set("st-objections", list(s.open_objections));
    set("st-offers", list(s.persona_offers) + " / " + list(s.candidate_offers));
    set("st-thresholds", s.thresholds_text);
    set("st-raw", JSON.stringify(s.state, null, 2));
    const r = s.reading;
    if (r) {
      set("rd-text", r.text);
      set("rd-question", r.question);
      set("rd-amounts", r.amounts.length ? r.amounts.join(" ; ") : "—");
      set("rd-offer", r.offer_ambiguous ? "ambiguë : le persona demande un seul prix" : (r.offer === null ? "—" : r.offer));
      set("rd-addressee", list(r.addressee));
      set("rd-reformulation", r.reformulation + (r.mismatches.length ? " (" + r.mismatches.join(" ; ") + ")" : ""));
      set("rd-summary", r.summary + (r.summary_mismatches.length ? " (" + r.summary_mismatches.join(" ; ") + ")" : ""));
      set("rd-stance", r.stance || "—");
      set("rd-tone", r.tone);
      set("rd-topics", list(r.topics));
    }
  }
  new MutationObserver(function (mutations) {
    const reply = mutations.some(function (m) {
      return Array.from(m.addedNodes).some(function (n) { return n.classList && n.classList.contains("persona"); });
    });
    if (reply) refresh();
  }).observe(transcript, { childList: true });
})();
