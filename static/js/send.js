// The composer: sending messages, what happens when one cannot be sent,
// and what the room page does when the server refuses its stream for good.
// (app.js does the rest of the page; both are plain scripts, no build.)
//
// Every message the person sends (Enter, or the Send button) is one text,
// exactly as typed, with the files waiting beside the box if any
// (attachments.js; a message may be text, files or both), queued in an outbox and posted one at a time, in order.
// The box empties as soon as a text is queued, so what is typed next is a
// new message, never glued to one on its way. If a post is refused (too
// fast, the connection down, the server restarting), nothing after it is
// sent until the person sends again: the refused text comes back into the
// box, alone, with the caret at its end, once the box is empty and the
// typing has stopped for a moment (never under their fingers, where it
// would be glued to what they type next), and the texts queued after it
// wait for it. Pressing Enter sends what is unsent, in order.
//
// Logged out (401) or the room deleted (404): the text stays in the box
// with a notice saying why, and for a 401 a link to log in that comes back
// to this room, where the unsent text is put back in the box. The stream
// stops retrying and says why too; a page left with nothing unsent goes to
// the login page by itself (a stale page must not go on showing the room).
//
// Without JavaScript none of this runs: the form posts and the server
// redirects back.
(function () {
  "use strict";

  var outbox = [];     // texts sent but not yet accepted, oldest first
  var replies = [];    // beside each, the id of the message it answers ("" for none)
  var files = [];      // and the files that go with it ([] for none)
  var restoredReply = ""; // what the text back in the box answered
  var inFlight = false;
  var paused = false;  // a post was refused: nothing goes until the person sends again
  var restored = false; // the box holds the refused text, which goes before the outbox
  var ended = "";      // "logged-out" or "room-gone", once the server has said so

  function form() { return document.getElementById("message-form"); }
  function box() { return document.getElementById("message-input"); }
  function room() { return document.getElementById("room"); }

  function loginURL() { return "/accounts/login/?next=" + encodeURIComponent(location.pathname); }

  // setBox replaces the box's text, caret at the end, and says so with an
  // input event (the box resizes; counters and the like update).
  function setBox(text) {
    var b = box();
    if (!b) return;
    b.value = text;
    b.setSelectionRange(text.length, text.length);
    b.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // --- The outbox ------------------------------------------------------------
  function attached() { return window.minidiscordFiles || null; }

  function send() {
    var b = box();
    var a = attached();
    if (!b || (b.value.trim() === "" && !(a && a.count() > 0))) return;
    if (ended) {
      showEnded();
      return;
    }
    // A reply keeps the message it answers (actions.js's reply bar fills
    // reply_to, a field of the form), and the bar closes as the text leaves.
    var field = document.getElementById("reply-to");
    var rid = field && !field.disabled ? field.value : "";
    var fs = a ? a.take() : [];
    if (restored) {
      outbox.unshift(b.value);
      replies.unshift(rid || restoredReply);
      files.unshift(fs);
    } else {
      outbox.push(b.value);
      replies.push(rid);
      files.push(fs);
    }
    restored = false;
    restoredReply = "";
    document.dispatchEvent(new CustomEvent("minidiscord:sending"));
    paused = false;
    lastSend = Date.now();
    clearTimeout(settleTimer);
    setBox("");
    clearNote();
    pump();
  }

  function pump() {
    if (inFlight || paused || ended || outbox.length === 0) return;
    inFlight = true;
    post(outbox[0], replies[0], files[0] || []).then(function (res) {
      inFlight = false;
      if (res.ok) {
        outbox.shift();
        replies.shift();
        files.shift();
        document.dispatchEvent(new CustomEvent("minidiscord:sent"));
        if (outbox.length === 0 && laterDraft && box() && box().value.trim() === "") {
          setBox(laterDraft);
          laterDraft = "";
        }
        pump();
        return;
      }
      refused(res);
    });
  }

  // post sends one text as the form would, asking for the HTMX partial so a
  // refusal comes back with the server's words. With files it is the
  // multipart form, sent with XMLHttpRequest, whose upload reports its
  // progress (fetch's does not).
  function post(text, replyTo, fs) {
    var f = form();
    if (fs.length) return upload(f.action, text, replyTo, fs);
    var body = new URLSearchParams();
    body.set("message", text);
    if (replyTo) body.set("reply_to", replyTo);
    return fetch(f.action, { method: "POST", body: body, headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (resp) {
        return resp.text().then(function (txt) {
          return { ok: resp.ok, status: resp.status, type: resp.headers.get("Content-Type") || "", body: txt };
        });
      }, function () {
        return { ok: false, status: 0, type: "", body: "" };
      });
  }

  function upload(action, text, replyTo, fs) {
    var data = new FormData();
    data.set("message", text);
    if (replyTo) data.set("reply_to", replyTo);
    fs.forEach(function (file) { data.append("file", file, file.name || "pasted.png"); });
    var a = attached();
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", action);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.upload.onprogress = function (evt) {
        if (a && evt.lengthComputable) a.progress(evt.loaded / evt.total);
      };
      xhr.onload = function () {
        if (a) a.progress(null);
        resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status,
          type: xhr.getResponseHeader("Content-Type") || "", body: xhr.responseText });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () {
        if (a) a.progress(null);
        resolve({ ok: false, status: 0, type: "", body: "" });
      };
      if (a) a.progress(0);
      xhr.send(data);
    });
  }

  function refused(res) {
    paused = true;
    lastRefusal = res;
    if (res.status === 401) ended = "logged-out";
    if (res.status === 404) ended = "room-gone";
    if (ended) endStream();
    settle();
  }

  // settle brings the oldest unsent text back into the box and says why it
  // was not sent, once the person has stopped typing: text put into the box
  // under their fingers would be glued to what they type next.
  // When nothing was typed since the refused text left the box, at once.
  var IDLE_MS = 1000;
  var lastKey = 0, lastSend = 0, settleTimer = 0, lastRefusal = null;
  function settle() {
    clearTimeout(settleTimer);
    var untouched = outbox.length === 1 && lastKey <= lastSend;
    var wait = untouched ? 0 : lastKey + IDLE_MS - Date.now();
    if (wait > 0) {
      settleTimer = setTimeout(settle, wait);
      return;
    }
    if (!paused) return;
    restore();
    if (ended) showEnded();
    else if (lastRefusal) showNote(["Not sent: " + reason(lastRefusal) + " ", waiting()]);
  }

  // reason is the server's words for a refusal, or ours for no answer.
  function reason(res) {
    if (res.status === 0) return "the connection is down. Your message is still here; send it again in a moment.";
    if (res.type.indexOf("text/html") === 0) {
      var tpl = document.createElement("template");
      tpl.innerHTML = res.body;
      var err = tpl.content.querySelector("#message-error");
      if (err && err.textContent.trim()) return err.textContent.trim();
    } else if (res.type.indexOf("text/plain") === 0 && res.body.trim() && res.body.length < 300) {
      return res.body.trim();
    }
    return "something went wrong on our side. Your message is still here; send it again in a moment.";
  }

  // restore puts the oldest unsent text back into the box, if the box is
  // empty; otherwise it waits for the box to empty (settle is called again
  // then).
  function restore() {
    var b = box();
    if (!paused || restored || outbox.length === 0 || !b || b.value.trim() !== "") return;
    restored = true;
    restoredReply = replies.shift() || "";
    var fs = files.shift() || [];
    if (fs.length && attached()) attached().restore(fs); // back beside the box
    setBox(outbox.shift());
  }

  function waiting() {
    var n = outbox.length;
    if (n === 0) return "";
    var what = n === 1 ? "1 more message waits" : n + " more messages wait";
    return restored ? what + " to go after it." : "It comes back into this box when the box is empty; " + what + ".";
  }

  // What is left unsent: queue, the texts sent and not accepted, oldest
  // first; draft, what is being typed after them (never sent by itself).
  function unsent() {
    var b = box();
    var typed = b && b.value.trim() !== "" ? b.value : "";
    if (restored) return { queue: (typed ? [typed] : []).concat(outbox), draft: "" };
    return { queue: outbox.slice(), draft: typed };
  }
  function nothingUnsent() { var u = unsent(); return u.queue.length === 0 && u.draft === ""; }
  var laterDraft = ""; // a draft brought back from before a login, due after the queue

  // --- Notes under the box ----------------------------------------------------
  function clearNote() {
    var note = document.getElementById("send-error");
    if (note) note.remove();
    var b = box();
    if (b) b.removeAttribute("aria-invalid");
  }

  // showNote writes parts (strings and elements) into the note under the
  // box, as text: nothing from the server is put in as markup.
  function showNote(parts) {
    var f = form();
    if (!f) return;
    var old = document.getElementById("message-error");
    if (old) old.remove(); // a no-JS error rendered with the page
    var note = document.getElementById("send-error");
    if (!note) {
      note = document.createElement("p");
      note.id = "send-error";
      note.className = "error";
      note.setAttribute("role", "alert");
      note.dataset.testid = "message-error";
      f.appendChild(note);
    }
    note.textContent = "";
    parts.forEach(function (p) {
      if (p) note.append(p);
    });
    var b = box();
    if (b) b.setAttribute("aria-invalid", "true");
  }

  function link(href, text, testid) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    a.dataset.testid = testid;
    return a;
  }

  function showEnded() {
    if (ended === "logged-out") {
      keepUnsent();
      showNote(["You were logged out, so this was not sent. ", link(loginURL(), "Log in", "login-link"),
        " to send it: it will be back in this box. ", waiting()]);
    } else if (ended === "room-gone") {
      showNote(["This room was deleted, or you no longer have access to it, so this was not sent. Your text is still here to copy. ",
        link("/chat/", "Go to the rooms", "rooms-link")]);
    }
  }

  // --- Unsent text across a login ----------------------------------------------
  // Kept per tab, user and room, so another account logging in here does not
  // get it.
  function unsentKey() {
    var r = room();
    return r ? "minidiscord.unsent." + (r.dataset.me || "0") + "." + location.pathname.toLowerCase() : "";
  }
  function keepUnsent() {
    var key = unsentKey();
    if (!key) return;
    try {
      if (nothingUnsent()) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, JSON.stringify(unsent()));
    } catch (e) { /* storage off: the text stays in the box, not beyond */ }
  }
  function takeUnsent() {
    var key = unsentKey(), u = null;
    if (!key) return null;
    try {
      u = JSON.parse(window.sessionStorage.getItem(key) || "null");
      window.sessionStorage.removeItem(key);
    } catch (e) { return null; }
    if (!u || !Array.isArray(u.queue)) return null;
    var text = function (t) { return typeof t === "string" && t.trim() !== ""; };
    return { queue: u.queue.filter(text), draft: text(u.draft) ? u.draft : "" };
  }
  window.addEventListener("pagehide", function () { if (ended === "logged-out") keepUnsent(); });

  // --- The stream refused for good -----------------------------------------------
  // An EventSource cannot see why it was refused: when it gives up (closed,
  // not reconnecting), ask the same address with HEAD, which answers as the
  // stream would (401 logged out, 404 no such room) without joining it.
  document.addEventListener("htmx:sseError", function (evt) {
    var source = evt.detail && evt.detail.source;
    if (!source || source.readyState !== 2 || ended) return;
    var r = room();
    if (r && r.dataset.ended) return; // spaces.js said why already
    var url = r && r.getAttribute("sse-connect");
    if (!url) return;
    fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" }).then(function (resp) {
      if (resp.status === 401) streamRefused("logged-out");
      else if (resp.status === 404) streamRefused("room-gone");
    }, function () { /* the network: the extension keeps retrying */ });
  });

  function streamRefused(kind) {
    if (ended) return;
    ended = kind;
    endStream();
    if (kind === "logged-out" && nothingUnsent() && !inFlight) {
      // Nothing to lose: the login page, which says why, coming back here after.
      location.assign(loginURL() + "&ended=1");
      return;
    }
    showEnded();
  }

  // endStream stops the stream for good (the SSE extension reconnects while
  // the element has sse-connect) and says why where "live" was shown.
  function endStream() {
    var r = room();
    if (r) {
      r.removeAttribute("sse-connect");
      var data = r["htmx-internal-data"];
      if (data && data.sseEventSource) data.sseEventSource.close();
    }
    var state = document.getElementById("conn-state");
    if (state) {
      state.dataset.state = "ended";
      state.textContent = ended === "logged-out" ? "You were logged out" : "This room was deleted";
    }
    if (ended === "logged-out") {
      // The navbar still names the user: say what is true now.
      document.querySelectorAll(".navbar .avatar, .navbar [data-testid=whoami], .navbar form[action='/accounts/logout/']").forEach(function (el) {
        el.hidden = true;
      });
    }
  }

  // --- Wiring -------------------------------------------------------------------
  // The form's own submit (Enter calls requestSubmit; or the Send button)
  // is taken here, in the capture phase, before htmx's listener on the form
  // would post the box as it is at that moment.
  document.addEventListener("submit", function (evt) {
    if (!evt.target || evt.target.id !== "message-form") return;
    evt.preventDefault();
    evt.stopPropagation();
    send();
  }, true);

  // Enter sends (app.js's keydown): the line break its key would type
  // must not land in the emptied box as the start of the next message.
  // Keyboards are stopped by the keydown; this catches the input some
  // sources deliver separately (DevTools, some on-screen keyboards).
  var enterDown = false;
  document.addEventListener("keydown", function (evt) {
    if (!evt.target || evt.target.id !== "message-input") return;
    enterDown = evt.key === "Enter" && !evt.shiftKey && !evt.isComposing;
    if (!enterDown) lastKey = Date.now(); // typing; the Enter that sends is not
  });
  document.addEventListener("keyup", function (evt) { if (evt.key === "Enter") enterDown = false; });
  document.addEventListener("beforeinput", function (evt) {
    if (evt.target && evt.target.id === "message-input" && !enterDown) lastKey = Date.now(); // typing, pasting, IME
    if (enterDown && evt.target && evt.target.id === "message-input" &&
        (evt.inputType === "insertLineBreak" || evt.inputType === "insertParagraph")) evt.preventDefault();
  });

  // The box emptied by hand: a refused text waiting for it comes back
  // (once the typing stops).
  document.addEventListener("input", function (evt) {
    if (evt.target && evt.target.id === "message-input" && evt.target.value.trim() === "" &&
        paused && !restored && outbox.length) settle();
  });

  // Back online with a text that could not leave: say it can go now.
  document.addEventListener("htmx:sseOpen", function () {
    var note = document.getElementById("send-error");
    if (note && paused && restored && !ended) {
      showNote(["Not sent. You are back online: press Enter to send it. ", waiting()]);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var b = box();
    if (!b || !room()) return;
    var u = takeUnsent();
    if (!u || b.value.trim() !== "") return;
    if (u.queue.length === 0) {
      if (u.draft) setBox(u.draft);
      return;
    }
    outbox = u.queue;
    replies = u.queue.map(function () { return ""; });
    files = u.queue.map(function () { return []; }); // files do not outlive the page
    laterDraft = u.draft;
    paused = true;
    restore();
    showNote(["Your unsent message is back: press Enter to send it. ", waiting()]);
  });
})();
