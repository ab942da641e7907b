// Mini Discord's awareness script: what happens where the reader is not
// looking. It keeps the rooms list live (unread and mention badges, online
// counts, the count in the title), tells the server how far the reader has
// read, moves the "new since you left" divider, shows who is typing and
// raises a notification for a mention while the tab is hidden.
//
// Everything comes through the page's one stream (the room's, or /events on
// the rooms list), in events the server documents in handlers/sidebar.go:
//   unread    a room's stored state for the reader ({full:true} lists all);
//   rooms     every room's news since the last one, about once a second:
//             online counts, and [id, author] of messages posted and deleted;
//   mention   a message that mentions the reader; unmention takes one back;
//   typing    who is typing in this room, per server instance.
// A state counts every message up to its "last"; the posts heard of above
// it are added here, so nothing is counted twice whatever the order.
//
// Loaded with defer, after app.js, whose handler for new messages runs
// before the one here. No inline script or style: the CSP allows neither.
(function () {
  "use strict";

  var CAP = 100; // counts stop here and show "99+"

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* not kept */ }
  }

  function me() {
    var el = document.querySelector("[data-me]");
    return el ? parseInt(el.dataset.me, 10) || 0 : 0;
  }
  function roomEl() { return document.getElementById("room"); }
  function currentRoom() {
    var r = roomEl();
    return r ? parseInt(r.dataset.roomId, 10) || 0 : 0;
  }
  function countLabel(n) { return n >= CAP ? (CAP - 1) + "+" : String(n); }

  // --- What the reader has read ---------------------------------------------
  // rooms[id]: base (the last state from the server, or null), posts (live
  // posts above base.last by others: id -> true), more (posts too many to
  // list in one broadcast), mentions (live mention ids above base.last, or
  // added by an edit), read (how far this page knows the reader has read:
  // their own posts, and reading here).
  var rooms = {};
  function room(id) {
    return rooms[id] || (rooms[id] = { base: null, posts: new Map(), more: 0, mentions: new Set(), read: 0 });
  }

  function applyState(s) {
    var r = room(s.id);
    r.base = { opened: s.opened, read: s.read, last: s.last, unread: s.unread, mentions: s.mentions };
    r.read = Math.max(r.read, s.read);
    r.more = 0;
    r.posts.forEach(function (_, id) { if (id <= s.last) r.posts.delete(id); });
    r.mentions.forEach(function (id) { if (id <= s.last) r.mentions.delete(id); });
    if (typeof s.online === "number") setOnline(s.id, s.online);
  }

  // counts works out what a room shows now.
  function counts(id) {
    var r = rooms[id];
    if (!r || !r.base) return null;
    var b = r.base, read = Math.max(r.read, b.read);
    // Read past everything the state counted: none of it is left.
    var unread = read >= b.last ? 0 : b.unread, mentions = read >= b.last ? 0 : b.mentions;
    var fresh = r.more;
    r.posts.forEach(function (_, pid) { if (pid > read) fresh++; });
    r.mentions.forEach(function (mid) { if (mid > read) mentions++; });
    return {
      opened: b.opened,
      unread: b.opened ? Math.min(CAP, unread + fresh) : 0,
      mentions: Math.min(CAP, mentions),
      isNew: !b.opened && (b.last > 0 || fresh > 0)
    };
  }

  // --- Drawing the rooms list -------------------------------------------------
  function items(id) { return document.querySelectorAll("li[data-room-id='" + id + "']"); }

  function note(c) {
    var parts = [];
    if (c.unread === 1) parts.push("1 unread message");
    else if (c.unread > 1) parts.push(countLabel(c.unread) + " unread messages");
    else if (c.isNew || c.mentions > 0) parts.push("new messages");
    if (c.mentions === 1) parts.push("1 mention");
    else if (c.mentions > 1) parts.push(countLabel(c.mentions) + " mentions");
    return parts.length ? ", " + parts.join(", ") : "";
  }

  function draw(id) {
    var c = counts(id);
    if (!c) return;
    items(id).forEach(function (li) {
      li.classList.toggle("unread", c.unread > 0 || c.mentions > 0 || c.isNew);
      var n = li.querySelector(".unread-note");
      if (n) { n.textContent = note(c); n.hidden = n.textContent === ""; }
      var u = li.querySelector(".unread-count");
      if (u) { u.textContent = countLabel(c.unread); u.hidden = c.unread === 0; }
      var m = li.querySelector(".mention-count");
      if (m) { m.textContent = "@" + countLabel(c.mentions); m.hidden = c.mentions === 0; }
    });
  }

  function drawAll() {
    Object.keys(rooms).forEach(function (id) { draw(id); });
    drawTitle();
  }

  // The title leads with the unread total: "(3) #general · Mini Discord".
  function drawTitle() {
    var total = 0;
    Object.keys(rooms).forEach(function (id) {
      var c = counts(id);
      if (c) total += c.unread;
    });
    var bare = document.title.replace(/^\(\d+\+?\) /, "");
    document.title = total > 0 ? "(" + countLabel(total) + ") " + bare : bare;
  }

  function setOnline(id, n) {
    items(id).forEach(function (li) {
      var b = li.querySelector(".online-count");
      if (!b) return;
      var num = b.querySelector(".n");
      if (num) num.textContent = String(n);
      if (li.classList.contains("room-card")) b.classList.toggle("live", n > 0);
      else b.hidden = n === 0;
    });
  }

  // --- Events from the stream ---------------------------------------------------
  var handlers = {
    unread: function (ev) {
      ev.rooms.forEach(applyState);
      readHere();
      drawAll();
    },
    rooms: function (ev) {
      var mine = me();
      ev.rooms.forEach(function (n) {
        if (typeof n.online === "number") setOnline(n.id, n.online);
        var r = room(n.id);
        (n.posts || []).forEach(function (p) {
          if (p[1] === mine) r.read = Math.max(r.read, p[0]); // you have read what you answer
          else if (!r.base || p[0] > r.base.last) r.posts.set(p[0], true);
        });
        r.more += n.more || 0;
        (n.gone || []).forEach(function (g) {
          if (r.posts.delete(g[0]) || !r.base || g[1] === mine) return;
          if (g[0] > Math.max(r.read, r.base.read) && g[0] <= r.base.last && r.base.unread > 0) r.base.unread--;
        });
      });
      readHere();
      drawAll();
    },
    mention: function (ev) {
      var r = room(ev.room);
      if (ev.edited || !r.base || ev.id > r.base.last) r.mentions.add(ev.id);
      readHere();
      drawAll();
      notify(ev);
    },
    unmention: function (ev) {
      var r = room(ev.room);
      if (!r.mentions.delete(ev.id) && r.base && ev.id <= r.base.last && r.base.mentions > 0) r.base.mentions--;
      drawAll();
    },
    typing: function (ev) { heardTyping(ev); }
  };

  document.addEventListener("htmx:sseBeforeMessage", function (evt) {
    var type = evt.detail.type;
    if (type === "message") { afterMessage(evt.detail.data); return; }
    if (!handlers[type]) return;
    evt.preventDefault();
    var data;
    try { data = JSON.parse(evt.detail.data); } catch (e) { return; }
    handlers[type](data);
  });

  // --- Reading the room on screen ---------------------------------------------
  function log() { return document.getElementById("log"); }
  function atBottom() {
    var el = log();
    if (!el) return false;
    var inner = el.firstElementChild || el;
    return inner.getBoundingClientRect().bottom - el.getBoundingClientRect().bottom < 48;
  }
  function reading() { return !!roomEl() && document.visibilityState === "visible" && atBottom(); }
  function newestShown() {
    var all = document.querySelectorAll("#messages .msg[data-id]");
    var max = 0;
    all.forEach(function (m) { max = Math.max(max, parseInt(m.dataset.id, 10) || 0); });
    return max;
  }

  // readHere: while the reader is at the bottom of a visible room, what it
  // shows is read. The server hears of it promptly when it matters to the
  // reader's other pages (they come back to the room, or a mention is to be
  // cleared), at most every 10 s while they keep reading a busy room, and
  // at once when they leave it (hidden tab, another page): 2,000 people
  // reading one busy room send about 200 marks a second, not 1,000.
  var SOON = 1000, EVERY = 10000;
  var sentRead = 0, readTimer = null, readDue = 0, readWait = 0, lastSent = 0;
  var away = false;    // not reading since the last mark was sent
  var caughtUp = true; // read to the end since the divider was placed
  function readHere() {
    var id = currentRoom();
    if (!id) return;
    if (!reading()) { away = true; return; }
    caughtUp = true;
    var newest = newestShown();
    var r = room(id);
    if (newest > r.read || r.more) { r.read = Math.max(r.read, newest); r.more = 0; draw(id); drawTitle(); }
    // A mention the server still keeps here (an edit added it to a message
    // already read) is cleared by saying so too.
    var mentioned = r.base && r.base.mentions > 0 && r.base.last <= newest;
    r.mentions.forEach(function (mid) { if (mid <= newest) mentioned = true; });
    if (r.read > sentRead || mentioned) scheduleRead(away || mentioned ? SOON : EVERY);
  }
  function scheduleRead(gap) {
    var due = Date.now() + Math.max(readWait, lastSent + gap - Date.now(), 0);
    if (readTimer && readDue <= due) return;
    clearTimeout(readTimer);
    readDue = due;
    readTimer = setTimeout(sendRead, due - Date.now());
  }
  function readURL() {
    var r = roomEl();
    return r ? "/chat/" + encodeURIComponent(r.dataset.room) + "/read" : "";
  }
  function sendRead() {
    readTimer = null;
    var r = room(currentRoom()), url = readURL(), last = r.read;
    var mentioned = r.mentions.size > 0 || (r.base && r.base.mentions > 0);
    if (!url || !last || (last <= sentRead && !mentioned)) return;
    lastSent = Date.now();
    away = false;
    fetch(url, {
      method: "POST", body: new URLSearchParams({ last: String(last) }), credentials: "same-origin", headers: { "HX-Request": "true" }
    }).then(function (resp) {
      if (resp.ok) { sentRead = Math.max(sentRead, last); readWait = 0; return; }
      readWait = resp.status === 429 ? (parseInt(resp.headers.get("Retry-After"), 10) || 5) * 1000 : 5000;
      scheduleRead(SOON);
    }, function () { readWait = 5000; scheduleRead(SOON); });
  }
  // leaving says what was read before the page goes, if the server has not
  // heard yet (sendBeacon outlives the page).
  function leaving() {
    var url = readURL(), last = currentRoom() ? room(currentRoom()).read : 0;
    if (!url || last <= sentRead || !navigator.sendBeacon) return;
    if (navigator.sendBeacon(url, new URLSearchParams({ last: String(last) }))) sentRead = last;
    clearTimeout(readTimer);
    readTimer = null;
  }

  // afterMessage runs once app.js has put a live message in place. A new
  // one the reader is not there to see moves the divider to it.
  var seenMax = 0;
  function afterMessage(html) {
    var m = /data-id="(\d+)"/.exec(html);
    var id = m ? parseInt(m[1], 10) : 0;
    var isNew = id > seenMax;
    seenMax = Math.max(seenMax, id);
    var el = id && document.getElementById("msg-" + id);
    if (isNew && el) {
      var author = parseInt(el.dataset.author, 10);
      dropTypist(author);
      // Posting marked the room read on the server, up to the post.
      if (author === me()) sentRead = Math.max(sentRead, id);
      if (author !== me() && !reading() && caughtUp) {
        caughtUp = false;
        placeDivider(el);
      }
    }
    readHere();
  }
  function placeDivider(msg) {
    var d = document.getElementById("new-divider");
    if (!d) {
      d = document.createElement("div");
      d.id = "new-divider";
      d.className = "new-divider";
      d.setAttribute("role", "separator");
      d.dataset.testid = "new-divider";
      var span = document.createElement("span");
      span.textContent = "New since you left";
      d.appendChild(span);
    }
    var before = msg.previousElementSibling;
    var anchor = before && before.classList.contains("day-divider") ? before : msg;
    anchor.parentNode.insertBefore(d, anchor);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { away = true; leaving(); } else readHere();
  });
  document.addEventListener("scroll", function (evt) {
    if (evt.target && evt.target.id === "log") readHere();
  }, { capture: true, passive: true });

  // --- Typing -------------------------------------------------------------------
  // Sending: at most one signal every 3 s while the reader types; a sent
  // message ends it on the server.
  var lastTyping = 0;
  document.addEventListener("input", function (evt) {
    var t = evt.target, r = roomEl();
    if (!r || !t || t.id !== "message-input" || t.value.trim() === "") return;
    var now = Date.now();
    if (now - lastTyping < 3000) return;
    lastTyping = now;
    fetch("/chat/" + encodeURIComponent(r.dataset.room) + "/typing", {
      method: "POST", credentials: "same-origin", headers: { "HX-Request": "true" }
    }).catch(function () { /* a missed signal only hides the indicator sooner */ });
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    if (elt && elt.id === "message-form") lastTyping = 0;
  });

  // Showing: each instance sends its own set; a set not repeated within 8 s
  // (its instance stopped, or the page missed its last word) expires.
  var typingSets = {}, typingTimer = null;
  function heardTyping(ev) {
    typingSets[ev.src] = { list: ev.typing || [], n: ev.n || 0, at: Date.now() };
    drawTyping();
  }
  function dropTypist(userID) {
    Object.keys(typingSets).forEach(function (src) {
      var s = typingSets[src], before = s.list.length;
      s.list = s.list.filter(function (t) { return t.id !== userID; });
      if (s.list.length < before) s.n--;
    });
    drawTyping();
  }
  function drawTyping() {
    var el = document.getElementById("typing");
    if (!el) return;
    var mine = me(), named = new Map(), unlisted = 0, now = Date.now();
    Object.keys(typingSets).forEach(function (src) {
      var s = typingSets[src];
      if (now - s.at > 8000) { delete typingSets[src]; return; }
      s.list.forEach(function (t) { if (t.id !== mine) named.set(t.id, t.name); });
      unlisted += Math.max(0, s.n - s.list.length);
    });
    var names = Array.from(named.values()), others = names.length + unlisted;
    var text = "";
    if (others === 1 && names.length === 1) text = names[0] + " is typing…";
    else if (others === 2 && names.length === 2) text = names[0] + " and " + names[1] + " are typing…";
    else if (others > 0) text = "several people are typing…";
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle("active", text !== "");
    clearTimeout(typingTimer);
    if (Object.keys(typingSets).length) typingTimer = setTimeout(drawTyping, 1000);
  }

  // --- Notifications --------------------------------------------------------------
  var NOTIFY_KEY = "minidiscord.notify";
  function notifyOn() {
    return load(NOTIFY_KEY) === "on" && "Notification" in window && Notification.permission === "granted";
  }
  function drawToggle() {
    var btn = document.getElementById("notify-toggle");
    if (!btn) return;
    if (!("Notification" in window)) { btn.hidden = true; return; }
    btn.hidden = false;
    var on = notifyOn(), denied = Notification.permission === "denied";
    btn.setAttribute("aria-pressed", on ? "true" : "false");
    btn.querySelector(".notify-label").textContent = denied ? "Notifications blocked by the browser" :
      on ? "Mention notifications on" : "Notify me of mentions";
    btn.disabled = denied;
  }
  document.addEventListener("click", function (evt) {
    var btn = evt.target && evt.target.closest && evt.target.closest("#notify-toggle");
    if (!btn || !("Notification" in window)) return;
    if (notifyOn()) { save(NOTIFY_KEY, "off"); drawToggle(); return; }
    save(NOTIFY_KEY, "on");
    if (Notification.permission === "granted") { drawToggle(); return; }
    Promise.resolve(Notification.requestPermission()).then(drawToggle, drawToggle);
  });

  function roomName(id) {
    var li = document.querySelector("li[data-room-id='" + id + "']");
    return li ? li.dataset.roomName : "";
  }
  function notify(ev) {
    if (!notifyOn() || document.visibilityState !== "hidden") return;
    var name = roomName(ev.room);
    try {
      var n = new Notification((ev.author || "Someone") + " mentioned you" + (name ? " in #" + name : ""), {
        body: ev.text || "", tag: "minidiscord-mention-" + ev.id
      });
      n.onclick = function () {
        window.focus();
        if (name && ev.room !== currentRoom()) location.href = "/chat/" + encodeURIComponent(name) + "/";
        n.close();
      };
    } catch (e) { /* some browsers only notify from a service worker */ }
  }

  // --- Leaving the page ---------------------------------------------------------------
  // A page the browser keeps for Back (the back/forward cache) keeps its
  // stream open too, and its reader would stay online in a room they left,
  // and miss nothing it could not replay. Close the stream as the page is
  // put away; a page brought back loads afresh, to be exactly as now.
  window.addEventListener("pagehide", function (evt) {
    leaving();
    if (!evt.persisted) return;
    var el = document.querySelector("[sse-connect]");
    var data = el && el["htmx-internal-data"];
    if (data && data.sseEventSource) data.sseEventSource.close();
  });
  window.addEventListener("pageshow", function (evt) {
    if (evt.persisted && document.querySelector("[sse-connect]")) location.reload();
  });

  // --- Start ------------------------------------------------------------------------
  function start() {
    seenMax = newestShown();
    sentRead = seenMax; // loading the page read it
    var id = currentRoom();
    if (id) room(id).read = seenMax;
    drawToggle();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
