// Chat page: sends the candidate's message to the JSON API and appends the replies.
// Text is always inserted with textContent, never as HTML.
"use strict";
(function timer() {
  // Countdown to the server's deadline (accommodations included). The server refuses late
  // messages anyway; at zero the page ends the session cleanly and shows what comes next.
  const clock = document.getElementById("timer");
  if (!clock) return;
  const alertBox = document.getElementById("timer-alert");
  const deadline = Date.parse(clock.dataset.deadline);
  const announced = new Set();
  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    clock.textContent = minutes + " min " + seconds + " s";
    // The warning is visible (not only spoken): the box shows and the clock turns to the warning colour.
    for (const mark of [300, 60]) {
      if (left <= mark && left > 0 && !announced.has(mark)) {
        announced.add(mark);
        alertBox.hidden = false;
        alertBox.textContent = "Attention : il reste " + (mark / 60) + " minute" + (mark > 60 ? "s" : "") +
          ". Pensez à conclure.";
        clock.parentElement.classList.add(mark === 60 ? "timer-urgent" : "timer-warning");
      }
    }
    if (left === 0) {
      clearInterval(handle);
      alertBox.hidden = false;
      alertBox.textContent = "Temps écoulé : la session est terminée.";
      document.dispatchEvent(new CustomEvent("session-time-up"));
    }
  }
  const handle = setInterval(tick, 1000);
  tick();
})();
(function () {
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("composer");
  if (!transcript || !form) return;
  const sessionId = transcript.dataset.sessionId;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const retryButton = document.getElementById("retry");
  const endButton = document.getElementById("end");
  const typing = document.getElementById("typing");
  const errorBox = document.getElementById("chat-error");
  const counter = document.getElementById("message-count");
  const maxChars = parseInt(form.dataset.maxChars || "2000", 10);
  const numberFr = new Intl.NumberFormat("fr-FR");

  // Live character count; over the limit the counter says by how much and sending is refused
  // (the box has no maxlength: a pasted text is never cut silently).
  function tooLong() { return input.value.length > maxChars; }
  function updateCounter() {
    const length = input.value.length;
    if (length > maxChars) {
      counter.textContent = numberFr.format(length) + " / " + numberFr.format(maxChars) +
        " caractères : " + numberFr.format(length - maxChars) + " de trop.";
      counter.classList.add("error");
      input.setAttribute("aria-invalid", "true");
    } else {
      counter.textContent = numberFr.format(length) + " / " + numberFr.format(maxChars) + " caractères";
      counter.classList.remove("error");
      input.removeAttribute("aria-invalid");
    }
  }

  function addTurn(role, speaker, text, pending) {
    const item = document.createElement("li");
    item.className = "turn " + role + (pending ? " pending" : "");
    const who = document.createElement("span");
    who.className = "speaker";
    who.textContent = speaker;
    const body = document.createElement("p");
    body.className = "text";
    body.textContent = text;
    item.append(who, body);
    transcript.append(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function showError(message, loginLink) {
    errorBox.textContent = message;
    if (message && loginLink) {
      // The login expired (or the user logged out in another tab): say so and offer the way back.
      const link = document.createElement("a");
      link.href = "/connexion";
      link.textContent = "Se reconnecter";
      errorBox.append(" ", link, " (votre message est à renvoyer après la connexion).");
    }
    errorBox.hidden = !message;
  }

  async function call(path, payload) {
    const response = await fetch("/api/sessions/" + sessionId + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: payload === undefined ? "{}" : JSON.stringify(payload),
    });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    // The persona may end the session with its answer: the server says so in this header.
    const ended = response.headers.get("X-Session-Status") === "ended";
    return { ok: response.ok, status: response.status, body: body, ended: ended };
  }

  // Once the session is over the box stays closed: a banner says so and links to the feedback.
  let over = false;
  function showEnded() {
    over = true;
    const banner = document.getElementById("session-ended");
    if (banner) banner.hidden = false;
    const status = document.getElementById("session-status");
    if (status) status.textContent = "Session terminée";
    input.disabled = true;
    sendButton.disabled = true;
    endButton.hidden = true;
    retryButton.hidden = true;
    const link = banner && banner.querySelector("a");
    if (link) link.focus();
  }

  function busy(on) {
    typing.hidden = !on;
    sendButton.disabled = on || over;
    endButton.disabled = on;
    retryButton.disabled = on;
  }

  function showReplies(lines) {
    for (const line of lines) addTurn("persona", line.speaker, line.text, false);
  }

  function errorMessage(result) {
    return (result.body && result.body.error && result.body.error.message) || "Erreur inattendue (" + result.status + ").";
  }

  function errorCode(result) {
    return result.body && result.body.error && result.body.error.code;
  }

  // Every message carries its own key: sending it again after a lost answer (503, lost
  // connection, crashed server) resolves to the stored turn on the server, never to a second one.
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // The message whose answer was lost, kept to be sent again with the same key by « Renvoyer ».
  let unsent = null;

  function markAnswered(item) {
    item.classList.remove("pending");
    const note = item.querySelector(".note");
    if (note) note.remove();
  }

  function keepForResend(item, text, key, message) {
    unsent = { item: item, text: text, key: key };
    item.classList.add("pending");
    retryButton.hidden = false;
    showError(message);
  }

  async function deliver(item, text, key, resending) {
    busy(true);
    try {
      const result = await call("/messages", { text: text, client_key: key });
      if (result.ok) {
        unsent = null;
        markAnswered(item);
        showReplies(result.body);
        retryButton.hidden = !transcript.querySelector(".turn.pending");
        showError("");
        if (result.ended) showEnded();
      } else if (result.status === 401) {
        if (resending) {
          keepForResend(item, text, key, "");
        } else {
          item.remove();
          input.value = text;
          updateCounter();
        }
        showError("Votre connexion a expiré.", true);
      } else if (result.status === 409 && errorCode(result) === "turn_pending" && resending) {
        // This very message is stored and still waits for the persona: ask for its answer.
        await retryPending();
      } else if (result.status === 409 && errorCode(result) === "turn_pending") {
        // An earlier message waits for its answer: this one is not stored; it goes back to the box.
        item.remove();
        input.value = text;
        updateCounter();
        retryButton.hidden = false;
        showError(errorMessage(result));
      } else if (result.status === 422 || result.status === 409 || result.status === 413) {
        item.remove();
        input.value = text;
        updateCounter();
        showError(errorMessage(result));
        if (errorCode(result) === "session_ended") showEnded();
      } else {
        keepForResend(item, text, key, errorMessage(result));
      }
    } catch (e) {
      keepForResend(item, text, key,
        "Connexion perdue : votre message est gardé. Cliquez sur « Renvoyer » pour l'envoyer à nouveau.");
    } finally {
      busy(false);
      if (!over) input.focus();
    }
  }

  // Ask the server to answer the oldest pending turn (one left by an outage, or shown at load).
  async function retryPending() {
    let result;
    try {
      result = await call("/retry");
    } catch (e) {
      retryButton.hidden = false;
      showError("Connexion perdue : cliquez de nouveau sur « Renvoyer » dans un instant.");
      return;
    }
    if (result.status === 401) {
      retryButton.hidden = false;
      showError("Votre connexion a expiré.", true);
    } else if (result.ok) {
      const oldest = transcript.querySelector(".turn.pending");
      if (oldest) markAnswered(oldest);
      if (unsent && !unsent.item.classList.contains("pending")) unsent = null;
      showReplies(result.body);
      retryButton.hidden = !transcript.querySelector(".turn.pending");
      showError("");
      if (result.ended) showEnded();
    } else if (errorCode(result) === "nothing_to_retry") {
      window.location.reload();  // answered meanwhile (another tab): show the stored answer
    } else {
      retryButton.hidden = false;
      showError(errorMessage(result));
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { showError("Le message est vide."); return; }
    if (text.length > maxChars) {
      showError("Message trop long : " + numberFr.format(text.length) + " caractères pour " +
        numberFr.format(maxChars) + " au plus. Raccourcissez-le avant de l'envoyer.");
      input.focus();
      return;
    }
    if (unsent || transcript.querySelector(".turn.pending")) {
      showError("Un message précédent attend encore sa réponse : cliquez sur « Renvoyer » avant d'en écrire un autre.");
      retryButton.hidden = false;
      return;
    }
    input.value = "";
    updateCounter();
    showError("");
    deliver(addTurn("candidate", "Vous", text, false), text, newKey(), false);
  });
  input.addEventListener("input", updateCounter);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  retryButton.addEventListener("click", async function () {
    showError("");
    if (unsent) {
      await deliver(unsent.item, unsent.text, unsent.key, true);
    } else {
      busy(true);
      try { await retryPending(); } finally { busy(false); }
    }
  });
  endButton.addEventListener("click", async function () {
    if (!window.confirm("Terminer la session ? Vous ne pourrez plus envoyer de message.")) return;
    busy(true);
    const result = await call("/end");
    busy(false);
    if (result.ok) window.location.assign("/sessions/" + sessionId + "/rapport");
    else if (result.status === 401) showError("Votre connexion a expiré.", true);
    else showError(errorMessage(result));
  });
  document.addEventListener("session-time-up", async function () {
    input.disabled = true;
    busy(true);
    await call("/end");
    window.location.assign("/sessions/" + sessionId + "/rapport");
  });
  if (transcript.querySelector(".turn.pending")) retryButton.hidden = false;
  updateCounter();
  // The chat opens on the message box: no need to tab through the navigation first.
  if (!input.disabled) input.focus({ preventScroll: true });
})();
