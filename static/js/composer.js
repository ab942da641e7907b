// The composer's helpers, beside app.js (which sends): how many characters
// are left near the limit, never sending over it, and people to mention
// after "@". It adds to the composer and leaves sending to app.js.
(function () {
  "use strict";

  var LIMIT = 512;      // models.MaxMessage
  var SHOW_FROM = 100;  // the count shows when this many or fewer are left

  function input() { return document.getElementById("message-input"); }
  function options() { return document.getElementById("mention-options"); }

  // say tells screen readers something, once.
  function say(text) {
    var s = document.getElementById("composer-status");
    if (s && s.textContent !== text) s.textContent = text;
  }

  // --- Length ---------------------------------------------------------------
  // Counted as the server counts (models.CleanMessage): line breaks as one,
  // the ends trimmed, in characters (code points), not UTF-16 units.
  function length(v) {
    return Array.from(v.replace(/\r\n?/g, "\n").trim()).length;
  }

  // The count sits in the box, beside Send; the composer is swapped after
  // each message, so it is made again when missing.
  function counter(t) {
    var c = document.getElementById("char-count");
    if (!c) {
      c = document.createElement("span");
      c.id = "char-count";
      c.className = "char-count";
      c.dataset.testid = "char-count";
      c.setAttribute("aria-hidden", "true"); // the status line says it
      c.hidden = true;
      t.after(c);
    }
    return c;
  }

  var heard = null; // the last mark announced
  function countNow() {
    var t = input();
    if (!t) return;
    var left = LIMIT - length(t.value);
    var c = counter(t);
    c.hidden = left > SHOW_FROM;
    c.textContent = String(left);
    c.classList.toggle("over", left < 0);
    var box = t.closest(".composer-box");
    if (box) box.classList.toggle("too-long", left < 0);
    if (left >= 0) lengthError(0);
    // Announce at 100, 50, 20, 10 and 0 left, and once when over.
    var mark = left < 0 ? "over" : [0, 10, 20, 50, 100].find(function (m) { return left <= m; });
    if (mark !== heard) {
      heard = mark;
      if (mark === "over") say("Over the limit of " + LIMIT + " characters by " + (-left) + ".");
      else if (mark !== undefined) say(left + (left === 1 ? " character" : " characters") + " left.");
    }
  }

  // lengthError shows why a message was not sent (over > 0) or takes the
  // note away (0).
  function lengthError(over) {
    var note = document.getElementById("length-error");
    if (!over) {
      if (note) note.remove();
      return;
    }
    var form = document.getElementById("message-form");
    if (!note) {
      note = document.createElement("p");
      note.id = "length-error";
      note.className = "error";
      note.setAttribute("role", "alert");
      note.dataset.testid = "length-error";
      var box = form.querySelector(".composer-box");
      (box || form.lastChild).after(note);
    }
    note.textContent = "Not sent: messages have at most " + LIMIT + " characters, and this one is " +
      over + (over === 1 ? " character" : " characters") + " over. Shorten it, or send it in two parts.";
  }

  // Nothing over the limit leaves: this listens before htmx and the form
  // (capture), so the text stays in the box, whole.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form || form.id !== "message-form") return;
    var t = input();
    var over = t ? length(t.value) - LIMIT : 0;
    if (over > 0) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
      countNow();
      lengthError(over);
      t.focus();
    }
  }, true);

  // --- Mentions ---------------------------------------------------------------
  // The "@name" being typed, up to the caret. What is a mention in a sent
  // message is the server's decision (models.FindMentions); this only
  // spots the word being typed, by the same characters.
  var TYPING = /(^|[^\p{L}\p{N}_.+@-])@([\p{L}\p{N}_.+-]{0,150})$/u;
  var query = null; // the name part after "@" that the list is for
  var active = -1;

  function typedName(t) {
    if (t.selectionStart !== t.selectionEnd) return null;
    var m = TYPING.exec(t.value.slice(0, t.selectionStart));
    return m ? m[2] : null;
  }

  function listOpen() {
    var l = options();
    return !!l && !l.hidden && l.querySelector("[role=option]") !== null;
  }

  // lookFor asks the server for people (htmx waits for a pause in typing)
  // when the name at the caret changes, and closes the list when there is
  // none.
  function lookFor(t) {
    var q = typedName(t);
    if (q === null) { closeList(); return; }
    if (q === query) return;
    query = q;
    var box = document.getElementById("mention-box");
    var field = document.getElementById("mention-q");
    if (!box || !field || !window.htmx) return;
    t.setAttribute("aria-autocomplete", "list");
    t.setAttribute("aria-controls", "mention-options");
    field.value = q;
    htmx.trigger(box, "mention-query");
  }

  function closeList() {
    query = null;
    active = -1;
    var l = options();
    if (l) l.hidden = true;
    var t = input();
    if (t) t.removeAttribute("aria-activedescendant");
  }

  function setActive(i) {
    var opts = options().querySelectorAll("[role=option]");
    if (!opts.length) return;
    active = (i + opts.length) % opts.length;
    opts.forEach(function (o, j) {
      o.setAttribute("aria-selected", j === active ? "true" : "false");
      o.classList.toggle("active", j === active);
    });
    opts[active].scrollIntoView({ block: "nearest" });
    var t = input();
    if (t) t.setAttribute("aria-activedescendant", opts[active].id);
  }

  // choose puts "@name " in place of what was typed after "@".
  function choose(opt) {
    var t = input();
    if (!t || !opt || query === null) return;
    var end = t.selectionStart;
    var start = end - query.length - 1;
    var text = "@" + opt.dataset.name + (t.value.charAt(end) === " " ? "" : " ");
    t.setRangeText(text, start, end, "end");
    closeList();
    t.focus();
    t.dispatchEvent(new Event("input", { bubbles: true })); // the count, the box's size
  }

  // A list arrives: show it if it still answers what is being typed.
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "message-form") {
      closeList(); // a message went: a fresh, empty box
      countNow();
      return;
    }
    var l = options();
    if (!l || evt.target !== l) return;
    if (query === null || l.dataset.q !== query) { l.hidden = true; return; }
    var n = l.querySelectorAll("[role=option]").length;
    if (!n) { closeList(); return; }
    setActive(0);
    say(n + (n === 1 ? " person" : " people") + " to mention. Up and down to choose, Enter or Tab to insert, Escape to close.");
  });

  // Up, Down, Enter, Tab and Escape belong to the list while it is open:
  // this listens before app.js (capture), which sends on Enter.
  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    if (!t || t.id !== "message-input" || evt.isComposing || !listOpen()) return;
    switch (evt.key) {
      case "ArrowDown": setActive(active + 1); break;
      case "ArrowUp": setActive(active - 1); break;
      case "Enter":
      case "Tab":
        if (evt.shiftKey) return;
        choose(options().querySelectorAll("[role=option]")[active]);
        break;
      case "Escape": closeList(); break;
      default: return;
    }
    evt.preventDefault();
    evt.stopImmediatePropagation();
  }, true);

  document.addEventListener("input", function (evt) {
    if (evt.target && evt.target.id === "message-input") {
      countNow();
      lookFor(evt.target);
    }
  });
  // Moving the caret may leave the name, or come to another.
  document.addEventListener("keyup", function (evt) {
    var t = evt.target;
    if (t && t.id === "message-input" && /^(ArrowLeft|ArrowRight|Home|End)$/.test(evt.key)) {
      if (typedName(t) === null) closeList(); else lookFor(t);
    }
  });
  document.addEventListener("focusout", function (evt) {
    if (evt.target && evt.target.id === "message-input") closeList();
  });
  // A click on a person (or the list's scroll bar) keeps the focus in the
  // box; on a person it inserts them.
  document.addEventListener("mousedown", function (evt) {
    if (evt.target.closest && evt.target.closest("#mention-options")) evt.preventDefault();
  });
  document.addEventListener("click", function (evt) {
    var opt = evt.target.closest && evt.target.closest("#mention-options [role=option]");
    if (opt) choose(opt);
  });

  document.addEventListener("DOMContentLoaded", countNow);
})();
