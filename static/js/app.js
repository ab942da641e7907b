// Mini Discord's main hand-written script (composer.js sends messages).
// htmx and its SSE extension do the talking to the server; this file does
// what they cannot: the theme, the
// stream cursor and de-duplication, the connection state, grouping and
// local times, scrolling (stick to the bottom, the new-messages pill, keep
// the place when older messages load) and the keyboard. Unread rooms,
// typing and notifications are aware.js's.
//
// It is loaded in <head> without defer, so it can set the theme before the
// page paints; everything that needs the page waits for DOMContentLoaded.
// No inline script or style anywhere: the CSP allows only our files.
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  // --- Storage that survives private mode and disabled storage. -----------
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* not kept */ }
  }

  // --- Theme: dark by default, light when the system asks, or as chosen. --
  var THEME_KEY = "minidiscord.theme";
  var prefersLight = window.matchMedia ? window.matchMedia("(prefers-color-scheme: light)") : null;
  var chosen = load(THEME_KEY);
  if (chosen === "light" || chosen === "dark") root.dataset.theme = chosen;

  function currentTheme() {
    if (root.dataset.theme === "light" || root.dataset.theme === "dark") return root.dataset.theme;
    return prefersLight && prefersLight.matches ? "light" : "dark";
  }
  function showTheme() {
    var theme = currentTheme();
    root.dataset.themeNow = theme;
    var btn = document.getElementById("theme-toggle");
    if (btn) {
      btn.setAttribute("aria-pressed", theme === "light" ? "true" : "false");
      btn.title = theme === "light" ? "Switch to the dark theme" : "Switch to the light theme";
    }
  }
  showTheme();
  if (prefersLight && prefersLight.addEventListener) prefersLight.addEventListener("change", showTheme);

  // --- The room page ------------------------------------------------------
  function room() { return document.getElementById("room"); }
  function scroller() { return document.getElementById("log"); }
  function liveLog() { return document.getElementById("messages"); }

  // distanceFromBottom works whichever way the log scrolls (it is
  // column-reverse, so it opens at the bottom without the script).
  function distanceFromBottom(el) {
    var inner = el.firstElementChild || el;
    return inner.getBoundingClientRect().bottom - el.getBoundingClientRect().bottom;
  }
  function atBottom(el) { return distanceFromBottom(el) < 48; }
  function scrollToBottom(el) { el.scrollBy(0, distanceFromBottom(el) + 1); }

  function me() {
    var holder = document.querySelector("[data-me]");
    return holder ? holder.dataset.me : "";
  }

  function markMine(scope) {
    var id = me();
    if (!id || id === "0") return;
    scope.querySelectorAll(".msg[data-author='" + id + "']").forEach(function (m) {
      m.classList.add("mine");
    });
  }

  // Times in the reader's zone and language; the server wrote its own.
  var clockFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  var fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
  var dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });

  function msgTime(m) {
    var t = m.querySelector("time[datetime]");
    return t ? new Date(t.getAttribute("datetime")) : null;
  }
  function dayKey(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function dayLabel(d) {
    var today = new Date();
    var yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (dayKey(d) === dayKey(today)) return "Today";
    if (dayKey(d) === dayKey(yesterday)) return "Yesterday";
    return dayFmt.format(d);
  }

  function localizeTimes(scope) {
    scope.querySelectorAll(".msg time[datetime]:not([data-local])").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) return;
      // "(edited)" keeps its word; its tooltip says when.
      var edited = t.closest(".edited");
      if (!edited) t.textContent = clockFmt.format(d);
      t.title = (edited ? "Edited " : "") + fullFmt.format(d);
      t.dataset.local = "1";
    });
  }

  // regroup redraws the grouping the server drew, in the reader's zone and
  // across pages: a message continues the one before when the same author
  // wrote it within five minutes on the same day; each day starts with a
  // divider. It touches only what changes, so the live region announces no
  // more than the new message.
  var GROUP_MS = 5 * 60 * 1000;
  function regroup(el) {
    if (!el) return;
    // A divider with no message after it (its day's messages deleted) goes.
    el.querySelectorAll(".day-divider").forEach(function (d) {
      var next = d.nextElementSibling;
      if (!next || !next.classList.contains("msg")) d.remove();
    });
    var prev = null, prevTime = null, prevDay = null;
    el.querySelectorAll(".msg").forEach(function (m) {
      var d = msgTime(m);
      if (!d || isNaN(d)) return;
      var day = dayKey(d);
      var newDay = day !== prevDay;
      var gap = prevTime ? d - prevTime : -1;
      var continued = !newDay && prev && prev.dataset.author === m.dataset.author && prev.dataset.name === m.dataset.name && gap >= 0 && gap < GROUP_MS;
      m.classList.toggle("continued", !!continued);

      var before = m.previousElementSibling;
      var hasDivider = before && before.classList.contains("day-divider");
      if (newDay) {
        if (!hasDivider) {
          before = document.createElement("div");
          before.className = "day-divider";
          before.appendChild(document.createElement("time"));
          m.parentNode.insertBefore(before, m);
        }
        var label = dayLabel(d);
        var t = before.querySelector("time") || before;
        if (before.dataset.day !== day || t.textContent !== label) {
          before.dataset.day = day;
          t.setAttribute("datetime", day);
          t.textContent = label;
        }
      } else if (hasDivider) {
        before.remove();
      }
      prev = m; prevTime = d; prevDay = day;
    });
  }

  function tidy(el) {
    if (!el) return;
    localizeTimes(el);
    markMine(el);
    regroup(el);
  }

  // Times outside the log (the admin's lists) in the reader's zone too:
  // data-format says how much of the time to show.
  var otherFmts = {
    datetime: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }),
    date: new Intl.DateTimeFormat(undefined, { dateStyle: "medium" })
  };
  function localizeOther(scope) {
    scope.querySelectorAll("time[datetime][data-format]").forEach(function (t) {
      var fmt = otherFmts[t.dataset.format], d = new Date(t.getAttribute("datetime"));
      if (!fmt || isNaN(d)) return;
      t.textContent = fmt.format(d);
      t.title = fullFmt.format(d);
    });
  }

  // --- Connection state -----------------------------------------------------
  function setState(state, text) {
    var el = document.getElementById("conn-state");
    if (!el || el.dataset.state === state) return;
    el.dataset.state = state;
    el.textContent = text;
  }

  // Keep the stream's cursor in its URL: htmx's SSE extension opens a fresh
  // EventSource after an error, and a fresh one sends no Last-Event-ID.
  function setCursor(id) {
    var r = room();
    if (!r || !id || !r.hasAttribute("sse-connect")) return; // stopped for good: composer.js
    var url = new URL(r.getAttribute("sse-connect"), location.href);
    var cur = parseInt(url.searchParams.get("after") || "0", 10);
    if (parseInt(id, 10) <= cur) return;
    url.searchParams.set("after", id);
    r.setAttribute("sse-connect", url.pathname + url.search);
  }

  // --- Live messages ------------------------------------------------------------
  // A "message" event carries a message as it now is: new, edited,
  // reacted to, or (data-deleted) gone. Every change to a room has a number
  // and the stream resumes after the last one seen, so the same message
  // can come again; putting it in its place, replacing what is there, makes
  // a resumed page end up as a reload would draw it.
  document.addEventListener("htmx:sseBeforeMessage", function (evt) {
    if (evt.detail.type !== "message") return;
    evt.preventDefault();
    place(evt.detail.data);
    setCursor(evt.detail.lastEventId);
  });

  // place puts a message's HTML in its place: a stream's event, or the
  // answer to an action on a message (actions.js calls it through
  // window.minidiscord, so both take the same path).
  function place(html) {
    var log = liveLog(), s = scroller();
    if (!log || !s) return false;
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var msg = tpl.content.querySelector(".msg[data-id]");
    if (msg) placeMessage(log, s, msg);
    return true;
  }
  window.minidiscord = { place: place, tidy: function () { tidy(liveLog()); } };

  function idOf(el) { return parseInt(el.dataset.id, 10); }

  function placeMessage(log, s, msg) {
    var id = idOf(msg);
    var shown = document.getElementById("msg-" + id);
    var stickNow = atBottom(s);
    var topNow = s.firstElementChild.getBoundingClientRect().top;
    if (msg.hasAttribute("data-deleted")) {
      if (shown) shown.remove();
      updateQuotes(id, null);
      regroup(log);
      return;
    }
    if (shown) {
      if (shown.classList.contains("editing")) {
        // Its author is editing it here: keep the form, apply this after.
        shown.dataset.pending = msg.outerHTML;
        return;
      }
      shown.replaceWith(msg);
    } else {
      // New to this page. Older than what is loaded: the history pages
      // will bring it. Else in id order (a resume can bring a message
      // whose later edit numbers it after a newer one).
      var all = log.querySelectorAll(".msg[data-id]");
      var first = document.querySelector("#log .msg[data-id]");
      if (first && id < idOf(first) && document.getElementById("load-older-link")) return;
      // Newer than what a page opened at an older message shows: its
      // "Jump to the latest" leads there; it would leave a gap here.
      var gap = document.getElementById("newer-gap");
      if (gap && all.length && id > idOf(all[all.length - 1])) { gap.classList.add("has-new"); return; }
      var after = null;
      for (var i = all.length - 1; i >= 0; i--) {
        if (idOf(all[i]) < id) { after = all[i]; break; }
      }
      if (after) after.after(msg); else log.prepend(msg);
    }
    if (window.htmx) htmx.process(msg);
    updateQuotes(id, msg);
    tidy(log);
    if (!shown) {
      if (stickNow || msg.classList.contains("mine")) {
        scrollToBottom(s);
        hidePill();
      } else {
        // Keep what the reader is looking at where it was.
        s.scrollBy(0, s.firstElementChild.getBoundingClientRect().top - topNow);
        showPill();
      }
    }
  }

  // Replies quote the start of the message they answer: keep them in step.
  function updateQuotes(id, msg) {
    document.querySelectorAll(".quote[data-quote-of='" + id + "']").forEach(function (q) {
      var text = q.querySelector(".quote-text");
      if (!msg) {
        q.classList.add("quote-deleted");
        if (text) text.textContent = "deleted message";
        var who = q.querySelector(".quote-author");
        if (who) who.remove();
        return;
      }
      var content = msg.querySelector(".content");
      if (text && content) text.textContent = content.dataset.gist || "";
    });
  }

  // The pill counts the messages that came while the reader was up the log.
  var unseen = 0;
  function showPill() {
    var p = document.getElementById("new-pill");
    if (!p) return;
    unseen++;
    var label = document.getElementById("new-pill-label");
    if (label) label.textContent = unseen === 1 ? "1 new message" : unseen + " new messages";
    p.hidden = false;
  }
  function hidePill() {
    unseen = 0;
    var p = document.getElementById("new-pill");
    if (p) p.hidden = true;
  }

  document.addEventListener("htmx:sseOpen", function () { setState("live", "live"); });
  // "Not sent: the connection is down" is out of date once the stream is
  // live again; the message is still in the box, ready to send.
  document.addEventListener("htmx:sseOpen", function () {
    var note = document.getElementById("send-error");
    if (note) note.remove();
  });
  document.addEventListener("htmx:sseError", function () { setState("reconnecting", "reconnecting…"); });
  window.addEventListener("offline", function () { if (room()) setState("reconnecting", "reconnecting…"); });
  // Back online with the stream never having dropped: say so. (The SSE
  // extension keeps its EventSource in htmx's data on the element.)
  window.addEventListener("online", function () {
    var r = room();
    var data = r && r["htmx-internal-data"];
    var source = data && data.sseEventSource;
    if (source && source.readyState === 1) setState("live", "live");
  });

  // --- Online list --------------------------------------------------------------
  // Presence is rendered once for everyone, so the reader's own entry is
  // marked here (the page's data-me) and listed first, "you"; the others
  // are kept in order of name, whatever order they arrived in.
  var byName = window.Intl && Intl.Collator ? new Intl.Collator(undefined, { sensitivity: "base" }).compare
    : function (a, b) { a = a.toLowerCase(); b = b.toLowerCase(); return a < b ? -1 : a > b ? 1 : 0; };
  function memberName(li) {
    var n = li.querySelector(".member-name");
    return (n || li).textContent;
  }
  function sortOnline() {
    var list = document.getElementById("online-list");
    if (!list) return;
    var mine = "online-" + me();
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (li) {
      var isMe = li.id === mine;
      li.classList.toggle("me", isMe);
      var tag = li.querySelector(".you-tag");
      if (isMe && !tag) {
        tag = document.createElement("span");
        tag.className = "you-tag"; // says "you" by CSS, so the entry's text stays the name
        li.appendChild(tag);
      } else if (!isMe && tag) {
        tag.remove();
      }
    });
    var sorted = items.slice().sort(function (a, b) {
      if (a.id === mine) return -1;
      if (b.id === mine) return 1;
      return byName(memberName(a), memberName(b)) || (a.id < b.id ? -1 : 1);
    });
    if (sorted.some(function (li, i) { return li !== items[i]; })) {
      sorted.forEach(function (li) { list.appendChild(li); });
    }
  }
  // (Message events are placed by hand above and end there; what reaches
  // htmx:sseMessage was swapped by htmx: presence and the like.)
  document.addEventListener("htmx:sseMessage", sortOnline);

  // --- Older messages: keep the reader's place. --------------------------------
  var bottomBefore = null;
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "load-older") {
      var s = scroller();
      bottomBefore = s ? distanceFromBottom(s) : null;
    }
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    var s = scroller();
    if (bottomBefore !== null && s) {
      // The content above grew; move down by as much so nothing jumps.
      s.scrollBy(0, distanceFromBottom(s) - bottomBefore);
      bottomBefore = null;
      tidy(s);
    }
  });

  // --- Sending ------------------------------------------------------------------
  // composer.js: the outbox, refusals, and a stream refused for good.

  // --- Keyboard and composer ---------------------------------------------------
  // Opening a room puts the cursor in the message box, as Discord does (not
  // on touch screens, where it would open the keyboard over the room), and
  // coming to the box, by Tab from "Load older messages" say, brings the
  // newest messages back into view: they are what one answers.
  function focusComposer() {
    var input = document.getElementById("message-input");
    var touch = window.matchMedia && window.matchMedia("(hover: none) and (pointer: coarse)").matches;
    var elsewhere = document.activeElement && document.activeElement !== document.body;
    if (input && !touch && !elsewhere) input.focus({ preventScroll: true });
  }
  document.addEventListener("focusin", function (evt) {
    if (!evt.target || evt.target.id !== "message-input") return;
    var s = scroller();
    if (s && !atBottom(s)) {
      scrollToBottom(s);
      hidePill();
    }
  });

  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    if (t && t.id === "message-input" && evt.key === "Enter" && !evt.shiftKey && !evt.isComposing) {
      evt.preventDefault();
      var files = window.minidiscordFiles;
      if (t.value.trim() !== "" || (files && files.count() > 0)) t.form.requestSubmit();
    }
  });

  // The box grows with its text, up to the limit CSS sets: by CSS where the
  // browser can (field-sizing), else here. (Setting style from script is
  // allowed by the CSP; style attributes in markup are not.)
  var cssSizing = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function autosize(t) {
    if (!t || cssSizing) return;
    t.style.height = "auto";
    t.style.height = t.scrollHeight + 2 + "px";
  }
  document.addEventListener("input", function (evt) {
    if (evt.target && evt.target.id === "message-input") autosize(evt.target);
  });

  document.addEventListener("click", function (evt) {
    var t = evt.target;
    var pill = t && t.closest && t.closest("#new-pill");
    if (pill) {
      var s = scroller();
      if (s) scrollToBottom(s);
      hidePill();
      var input = document.getElementById("message-input");
      if (input) input.focus({ preventScroll: true });
      return;
    }
    if (t && t.closest && t.closest("#theme-toggle")) {
      var next = currentTheme() === "light" ? "dark" : "light";
      root.dataset.theme = next;
      save(THEME_KEY, next);
      showTheme();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showTheme();
    var r = room();
    if (r) {
      var s = scroller();
      tidy(s);
      scrollToBottom(s);
      s.addEventListener("scroll", function () { if (atBottom(s)) hidePill(); }, { passive: true });
      autosize(document.getElementById("message-input"));
      if (!navigator.onLine) setState("reconnecting", "reconnecting…");
      sortOnline();
      focusComposer();
    } else {
      document.querySelectorAll(".messages").forEach(tidy);
    }
    localizeOther(document);
  });

  // --- The create-or-join form ---------------------------------------------------
  // The server cleans a typed room name (models.CleanRoomName: a leading #
  // goes, spaces become -); say what the name will be while it is typed.
  function cleanRoomName(s) {
    return s.trim().replace(/^#+/, "").split(/\s+/).filter(Boolean).join("-");
  }
  document.addEventListener("input", function (evt) {
    if (!evt.target || evt.target.id !== "room-name") return;
    var preview = document.getElementById("room-preview");
    if (!preview) return;
    var typed = evt.target.value, name = cleanRoomName(typed), text = "";
    if (Array.from(name).length > 100) text = "Room names have at most 100 characters.";
    else if (name && name !== typed) text = "Creates or joins #" + name + ".";
    preview.textContent = text;
    preview.hidden = !text;
  });
})();
