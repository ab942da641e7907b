// Mini Discord's private spaces script: what the server says about the
// reader's place in rooms, on the page's one stream (handlers/access.go):
//   access        {room, removed, text} removed or banned from a room: its
//                 stream ends right after, and the page says why;
//                 {room, muted, muted_until} muted or unmuted there;
//                 {room, moderator, muted, …} their whole place there, at
//                 the start of every room stream and on a promotion.
//   room-added    {room, dm, nav, card} a room the reader may now see (a new
//                 DM, an invitation): its item, rendered by the server, goes
//                 in the sidebar or the rooms list.
//   room-removed  {room} one they may no longer see leaves every list.
// Without the script the pages say the same on the next load.
(function () {
  "use strict";

  function roomEl() { return document.getElementById("room"); }
  function currentRoom() {
    var r = roomEl();
    return r ? parseInt(r.dataset.roomId, 10) || 0 : 0;
  }

  // The server's HTML for one item, as an element (the server escaped it).
  function fromHTML(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  }

  function removed(ev) {
    gone(ev); // room-removed may not arrive: this stream ends now
    if (ev.room !== currentRoom()) return;
    var r = roomEl();
    r.removeAttribute("sse-connect");
    var data = r["htmx-internal-data"];
    if (data && data.sseEventSource) data.sseEventSource.close();
    r.dataset.ended = "removed";
    var state = document.getElementById("conn-state");
    if (state) {
      state.dataset.state = "ended";
      state.textContent = "No longer a member";
    }
    var note = document.getElementById("muted-note");
    if (note) {
      note.textContent = "";
      note.append(ev.text || "You no longer have access to this room.", " ");
      var a = document.createElement("a");
      a.href = "/chat/";
      a.textContent = "Go to the rooms";
      a.dataset.testid = "rooms-link";
      note.append(a);
      note.dataset.testid = "removed-note";
      note.hidden = false;
    }
    var box = document.getElementById("message-input");
    if (box) box.disabled = true;
    var send = document.querySelector("#message-form button[type=submit]");
    if (send) send.disabled = true;
  }

  function muted(ev) {
    if (ev.room !== currentRoom()) return;
    var note = document.getElementById("muted-note");
    if (!note) return;
    if (!ev.muted) {
      note.textContent = "";
      note.hidden = true;
      return;
    }
    var until = new Date(ev.muted_until);
    note.textContent = "You are muted here until " + until.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) +
      ": you can read, not post.";
    note.hidden = false;
  }

  // moderator shows or hides what a room's moderators get on its page:
  // the settings link and Delete on everyone's messages (app.css).
  function moderator(ev) {
    if (ev.room !== currentRoom()) return;
    var r = roomEl();
    var link = document.querySelector("[data-testid=room-settings]");
    if (ev.moderator) {
      r.dataset.moderator = "";
      if (!link) {
        link = document.createElement("a");
        link.className = "chat-settings";
        link.href = "/chat/" + encodeURIComponent(r.dataset.room) + "/settings";
        link.dataset.testid = "room-settings";
        link.textContent = "Settings";
        var title = document.getElementById("room-title");
        if (title) title.after(link);
      }
    } else {
      delete r.dataset.moderator;
      if (link) link.remove();
    }
  }

  function added(ev) {
    if (document.querySelector("li[data-room-id='" + ev.room + "']")) return;
    var nav = document.getElementById(ev.dm ? "dm-nav" : "room-nav");
    if (nav && ev.nav) {
      var empty = nav.querySelector("li.empty");
      if (empty) empty.remove();
      nav.appendChild(fromHTML(ev.nav));
    }
    var dir = document.getElementById(ev.dm ? "dm-directory" : "room-directory");
    if (dir && ev.card) {
      var none = dir.querySelector("li.empty");
      if (none) none.remove();
      dir.appendChild(fromHTML(ev.card));
    }
  }

  function gone(ev) {
    document.querySelectorAll("li[data-room-id='" + ev.room + "']").forEach(function (li) { li.remove(); });
  }

  var handlers = {
    access: function (ev) {
      if (ev.removed) return removed(ev);
      if ("moderator" in ev) moderator(ev);
      muted(ev);
    },
    "room-added": added,
    "room-removed": gone
  };

  document.addEventListener("htmx:sseBeforeMessage", function (evt) {
    var h = handlers[evt.detail.type];
    if (!h) return;
    evt.preventDefault();
    var data;
    try { data = JSON.parse(evt.detail.data); } catch (e) { return; }
    h(data);
  });
})();
