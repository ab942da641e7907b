// Message actions in place: reply, react, edit and delete. Each is a link
// or a form that works without this script (a page of its own, then a
// redirect back to the room); here they happen where the message is. What
// the server answers (the message as it now is) goes into the page the way
// a stream's event does, through app.js (window.minidiscord.place), so the
// two never disagree.
//
// Loaded with defer, after htmx. No inline script or style: the CSP allows
// only files, and style set from script.
(function () {
  "use strict";

  function live() { return !!(document.getElementById("messages") && window.minidiscord && window.htmx); }
  function me() { var r = document.getElementById("room"); return r ? r.dataset.me || "" : ""; }
  function byId(id) { return document.getElementById("msg-" + id); }
  function msgOf(el) { return el && el.closest(".msg[data-id]"); }
  function inLog(el) { return !!(el && el.closest("#log")); }
  function place(html) { return window.minidiscord.place(html); }
  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }
  // seqOf reads the change number of a rendered message: of two versions
  // of a message, the later wins.
  function seqOf(html) {
    var m = /data-seq="(\d+)"/.exec(html || "");
    return m ? parseInt(m[1], 10) : -1;
  }
  function focusComposer() {
    var box = document.getElementById("message-input");
    if (box) box.focus({ preventScroll: true });
  }

  // showError says, in the message, why an action did not happen.
  function showError(msg, text) {
    if (!msg) return;
    var note = msg.querySelector(".msg-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "msg-error error";
      note.setAttribute("role", "alert");
      note.dataset.testid = "action-error";
      msg.appendChild(note);
    }
    text = (text || "").trim();
    note.textContent = text && text.length < 300 ? text : "That did not work. Try again in a moment.";
  }
  var OFFLINE = "Not sent: the connection is down. Try again in a moment.";

  // --- Your own reactions ---------------------------------------------------
  // One rendering serves every reader; data-users says who reacted.
  function markReactions(scope) {
    var id = me();
    if (!id || id === "0") return;
    scope.querySelectorAll(".reaction[data-users]").forEach(function (b) {
      var mine = b.dataset.users.split(" ").indexOf(id) >= 0;
      b.classList.toggle("mine", mine);
      b.setAttribute("aria-pressed", mine ? "true" : "false");
    });
  }

  // --- Edit and delete: a form in the message's place ----------------------
  // While it is open the message has class "editing": app.js then keeps a
  // live update in data-pending instead of replacing the form. When the
  // form closes, the latest of what the page knows goes in: the server's
  // answer, that pending update, or the message as it was.
  var originals = {};

  function openForm(msg, url) {
    closeForms();
    closePicker(false);
    originals[msg.dataset.id] = msg.outerHTML;
    htmx.ajax("GET", url, { source: msg, target: msg, swap: "outerHTML" });
  }

  // When the form has arrived (and htmx has settled its classes: until then
  // the new element wears the old one's), focus it.
  document.addEventListener("htmx:afterSettle", function (evt) {
    var el = evt.detail.elt;
    if (el && el.classList && el.classList.contains("editing") && el.dataset.id in originals && inLog(el)) formOpened(el);
  });

  function formOpened(el) {
    window.minidiscord.tidy();
    var box = el.querySelector("textarea");
    if (box) {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    } else {
      var yes = el.querySelector(".delete-form button[type=submit]");
      if (yes) yes.focus();
    }
  }

  function endForm(el, answer) {
    if (!el) return;
    var id = el.dataset.id;
    var best = answer || null, bestSeq = answer ? seqOf(answer) : -1;
    [el.dataset.pending, originals[id]].forEach(function (html) {
      if (html && seqOf(html) > bestSeq) { best = html; bestSeq = seqOf(html); }
    });
    delete originals[id];
    el.classList.remove("editing");
    if (best) place(best);
  }

  function closeForms() {
    document.querySelectorAll("#log .msg.editing").forEach(function (el) { endForm(el, null); });
  }

  // --- Reactions: a picker beside the message ------------------------------
  // It lives outside the message, so a live update of the message does not
  // close it.
  var picker = null; // { pop, id }

  function openPicker(msg, link) {
    closePicker(false);
    var pop = document.createElement("div");
    pop.id = "react-popover";
    pop.className = "react-popover";
    pop.dataset.for = msg.dataset.id;
    document.body.appendChild(pop);
    picker = { pop: pop, id: msg.dataset.id };
    msg.classList.add("picking");
    link.setAttribute("aria-expanded", "true");
    htmx.ajax("GET", link.getAttribute("href"), { source: pop, target: pop, swap: "innerHTML" });
  }

  document.addEventListener("htmx:afterSwap", function (evt) {
    if (!picker || evt.detail.target !== picker.pop) return;
    placePicker();
    var first = picker.pop.querySelector("button");
    if (first) first.focus({ preventScroll: true });
  });

  function placePicker() {
    if (!picker) return;
    var link = document.querySelector("#msg-" + picker.id + " .act-react");
    if (!link) return;
    var r = link.getBoundingClientRect(), pop = picker.pop;
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var left = Math.max(8, Math.min(r.right - w, window.innerWidth - w - 8));
    var top = r.bottom + 4;
    if (top + h > window.innerHeight - 8) top = Math.max(8, r.top - h - 4);
    pop.style.left = left + "px";
    pop.style.top = top + "px";
  }

  function closePicker(refocus) {
    if (!picker) return;
    var id = picker.id;
    picker.pop.remove();
    picker = null;
    var msg = byId(id);
    if (!msg) return;
    msg.classList.remove("picking");
    var link = msg.querySelector(".act-react");
    if (link) {
      link.setAttribute("aria-expanded", "false");
      if (refocus) link.focus();
    }
  }

  // --- Reply: the bar above the composer -------------------------------------
  function startReply(msg) {
    var bar = document.getElementById("reply-bar"), input = document.getElementById("reply-to");
    if (!bar || !input) return;
    var who = msg.querySelector("[data-testid=message-author]"), text = msg.querySelector(".content");
    input.value = msg.dataset.id;
    input.disabled = false;
    bar.querySelector(".reply-author").textContent = who ? who.textContent : "";
    bar.querySelector(".reply-text").textContent = text ? text.textContent : "";
    bar.hidden = false;
    focusComposer();
  }

  function endReply() {
    var bar = document.getElementById("reply-bar"), input = document.getElementById("reply-to");
    if (!bar || bar.hidden) return false;
    bar.hidden = true;
    input.value = "";
    input.disabled = true;
    // Opened with ?reply=: a reload should not answer again.
    var url = new URL(location.href);
    if (url.searchParams.has("reply")) {
      url.searchParams.delete("reply");
      url.hash = "";
      history.replaceState(history.state, "", url.pathname + url.search);
    }
    return true;
  }

  // --- Jumping to a message ----------------------------------------------------
  var flashTimer = null;
  function jumpTo(el) {
    el.scrollIntoView({ block: "center" });
    document.querySelectorAll(".msg.flash").forEach(function (m) { m.classList.remove("flash"); });
    el.classList.add("flash");
    el.focus({ preventScroll: true });
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () {
      document.querySelectorAll(".msg.flash").forEach(function (m) { m.classList.remove("flash"); });
    }, 2500);
  }

  // --- Clicks ------------------------------------------------------------------
  function runAct(act) {
    var msg = msgOf(act);
    if (!msg || msg.classList.contains("editing")) return false;
    if (act.classList.contains("act-reply")) startReply(msg);
    else if (act.classList.contains("act-react")) {
      if (picker && picker.id === msg.dataset.id) closePicker(true);
      else openPicker(msg, act);
    } else openForm(msg, act.getAttribute("href"));
    return true;
  }

  document.addEventListener("click", function (evt) {
    var t = evt.target;
    if (!t || !t.closest || !live()) return;
    if (picker && !t.closest("#react-popover") && !t.closest("#msg-" + picker.id + " .act-react")) closePicker(false);
    // A click meant for a new tab or window goes where the link says.
    if (evt.button !== 0 || evt.metaKey || evt.ctrlKey || evt.shiftKey || evt.altKey) return;

    var quote = t.closest(".quote[data-quote-of]");
    if (quote && inLog(quote)) {
      var original = byId(quote.dataset.quoteOf);
      if (quote.classList.contains("quote-deleted")) {
        evt.preventDefault();
      } else if (original && inLog(original)) {
        evt.preventDefault();
        jumpTo(original);
      } // else the link opens the room around the original
      return;
    }
    var act = t.closest("a.act");
    if (act && inLog(act)) {
      if (runAct(act)) evt.preventDefault();
      return;
    }
    var cancel = t.closest(".form-cancel");
    if (cancel && inLog(cancel)) {
      evt.preventDefault();
      endForm(msgOf(cancel), null);
      focusComposer();
      return;
    }
    if (t.closest("#reply-cancel")) {
      evt.preventDefault();
      endReply();
      focusComposer();
    }
  });

  // --- Keys --------------------------------------------------------------------
  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    if (!t || !t.closest || !live()) return;
    var plain = !evt.shiftKey && !evt.altKey && !evt.ctrlKey && !evt.metaKey && !evt.isComposing;
    // Enter on an action is taken here, not left to become a click: the
    // action moves the focus, and the rest of the key press (its newline)
    // would follow it into the composer.
    var act = t.closest("a.act");
    if (act && evt.key === "Enter" && plain && inLog(act)) {
      if (runAct(act)) evt.preventDefault();
      return;
    }
    if (t.id === "message-input") {
      if (evt.key === "ArrowUp" && plain && t.value === "") {
        // Up in an empty composer edits your last message.
        var mine = document.querySelectorAll("#messages .msg.mine:not(.editing)");
        var last = mine[mine.length - 1];
        var edit = last && last.querySelector("a.act-edit");
        if (edit) {
          evt.preventDefault();
          openForm(last, edit.getAttribute("href"));
        }
      } else if (evt.key === "Escape" && endReply()) {
        evt.preventDefault();
      }
      return;
    }
    var form = t.closest("form.edit-form, form.delete-form");
    if (form && inLog(form)) {
      if (evt.key === "Escape") {
        evt.preventDefault();
        endForm(msgOf(form), null);
        focusComposer();
      } else if (evt.key === "Enter" && plain && t.tagName === "TEXTAREA") {
        evt.preventDefault();
        if (t.value.trim() !== "") form.requestSubmit();
      }
      return;
    }
    if (picker && t.closest("#react-popover")) {
      var buttons = Array.prototype.slice.call(picker.pop.querySelectorAll("button"));
      var i = buttons.indexOf(t), next = -1;
      if (evt.key === "Escape") { evt.preventDefault(); closePicker(true); return; }
      if (evt.key === "ArrowRight" || evt.key === "ArrowDown") next = (i + 1) % buttons.length;
      if (evt.key === "ArrowLeft" || evt.key === "ArrowUp") next = (i - 1 + buttons.length) % buttons.length;
      if (evt.key === "Home") next = 0;
      if (evt.key === "End") next = buttons.length - 1;
      if (next >= 0 && buttons[next]) { evt.preventDefault(); buttons[next].focus(); }
    }
  });

  // --- Answers -----------------------------------------------------------------
  // A refused GET (someone else's message, gone, too fast) is said in the
  // message rather than swapped in.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target, xhr = evt.detail.xhr;
    if (!target || !xhr || xhr.status < 300) return;
    if (target.classList.contains("msg") && inLog(target)) {
      evt.detail.shouldSwap = false;
      delete originals[target.dataset.id];
      showError(target, xhr.responseText);
    } else if (picker && target === picker.pop) {
      evt.detail.shouldSwap = false;
      var id = picker.id;
      closePicker(false);
      showError(byId(id), xhr.responseText);
    }
  });

  // The composer (send.js) posts by itself: the reply bar closes as a text
  // leaves, and a page opened at an older message, which does not show new
  // ones, goes to the latest once it is stored.
  document.addEventListener("minidiscord:sending", function () { endReply(); });
  document.addEventListener("minidiscord:sent", function () {
    var latest = document.getElementById("latest-link");
    if (latest) location.assign(latest.href);
  });

  // The element that made a request may have left the page by its answer
  // (the stream often brings the change first and replaces the message);
  // htmx then tells an ancestor, and requestConfig.elt still names it.
  document.addEventListener("htmx:afterRequest", function (evt) {
    var cfg = evt.detail.requestConfig;
    var elt = (cfg && cfg.elt) || evt.detail.elt, xhr = evt.detail.xhr;
    if (!elt || !elt.classList || !live()) return;
    var status = xhr ? xhr.status : 0, ok = status >= 200 && status < 300;
    if (elt.tagName !== "FORM") return;
    var msg = msgOf(elt) || (picker && elt.closest("#react-popover") ? byId(picker.id) : null);
    if (msg && !msg.isConnected) msg = byId(msg.dataset.id) || msg;
    if (elt.classList.contains("edit-form")) {
      if (ok) {
        endForm(msg, xhr.responseText);
        focusComposer();
      } else if (status) {
        // Refused: the form comes back with the reason, or the reason alone.
        var fresh = fragment(xhr.responseText).querySelector("form.edit-form");
        if (fresh && msg) {
          var box = elt.querySelector("textarea");
          if (box) fresh.querySelector("textarea").value = box.value;
          elt.replaceWith(fresh);
          htmx.process(fresh);
          fresh.querySelector("textarea").focus();
        } else showError(msg, xhr.responseText);
      } else showError(msg, OFFLINE);
    } else if (elt.classList.contains("delete-form")) {
      if (ok && msg) {
        delete originals[msg.dataset.id];
        msg.classList.remove("editing");
        place(xhr.responseText);
        focusComposer();
      } else showError(msg, status ? xhr.responseText : OFFLINE);
    } else if (elt.classList.contains("reactions") || elt.classList.contains("react-picker")) {
      var submitter = cfg && cfg.triggeringEvent && cfg.triggeringEvent.submitter;
      var emoji = submitter && submitter.value;
      var id = msg && msg.dataset.id;
      if (elt.classList.contains("react-picker")) closePicker(false);
      if (ok) {
        place(xhr.responseText);
        var now = id && byId(id);
        var back = now && (now.querySelector('.reaction[data-emoji="' + CSS.escape(emoji || "") + '"]') || now.querySelector(".act-react"));
        if (back) back.focus({ preventScroll: true });
      } else showError(id ? byId(id) : msg, status ? xhr.responseText : OFFLINE);
    }
  });

  // --- Keyboard: one tab stop for the log ----------------------------------------
  // Every message has up to four actions, its reactions, its author (a DM),
  // its files and links: as tab stops
  // they would put hundreds of stops between "Load older messages" and the
  // composer. So the log is one stop; Up and Down move from message to
  // message, and Tab then goes through the focused message's controls.
  // (Without this script they are all ordinary tab stops.)
  var CONTROLS = "a.act, button.reaction, a.quote, a.author, a.attachment-image, a.attachment-card, .content a";
  function quiet(scope) {
    var msgs = Array.prototype.slice.call(scope.querySelectorAll(".msg"));
    if (scope.classList && scope.classList.contains("msg")) msgs.push(scope);
    msgs.forEach(function (m) {
      if (m.contains(document.activeElement)) return;
      m.querySelectorAll(CONTROLS).forEach(function (c) { c.tabIndex = -1; });
    });
  }
  document.addEventListener("focusin", function (evt) {
    var m = msgOf(evt.target);
    if (m && inLog(m)) m.querySelectorAll(CONTROLS).forEach(function (c) { c.tabIndex = 0; });
  });
  document.addEventListener("focusout", function (evt) {
    var m = msgOf(evt.target);
    if (!m || !inLog(m) || m.contains(evt.relatedTarget)) return;
    m.querySelectorAll(CONTROLS).forEach(function (c) { c.tabIndex = -1; });
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "ArrowUp" && evt.key !== "ArrowDown") return;
    var t = evt.target, log = document.getElementById("log");
    if (!log || !t || (t !== log && !(t.classList && t.classList.contains("msg")))) return;
    var all = Array.prototype.slice.call(log.querySelectorAll(".msg[data-id]:not([hidden])"));
    if (!all.length) return;
    var i = all.indexOf(t), next;
    if (t === log) next = all[all.length - 1];
    else next = all[evt.key === "ArrowUp" ? Math.max(0, i - 1) : Math.min(all.length - 1, i + 1)];
    evt.preventDefault();
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  });

  // --- The page ----------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    var log = document.getElementById("log");
    if (!log) return;
    markReactions(log);
    quiet(log);
    // Opened at a message (?around=): show it, and keep it marked through
    // live updates.
    var hl = log.querySelector(".msg.highlight");
    var highlighted = hl ? hl.dataset.id : null;
    if (hl) {
      var show = function () { hl.scrollIntoView({ block: "center" }); };
      show();
      hl.focus({ preventScroll: true });
      // The browser scrolls to the address's #msg-<id> once the page has
      // loaded, to the top edge: centre it again, with what led up to it.
      window.addEventListener("load", function () { requestAnimationFrame(show); }, { once: true });
    }
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType !== 1) return;
          markReactions(n);
          quiet(n);
          if (highlighted && n.dataset && n.dataset.id === highlighted) n.classList.add("highlight");
        });
      });
    }).observe(log, { childList: true, subtree: true });
    var bar = document.getElementById("reply-bar");
    if (bar && !bar.hidden) focusComposer();
    log.addEventListener("scroll", placePicker, { passive: true });
    window.addEventListener("resize", placePicker);
  });
})();
