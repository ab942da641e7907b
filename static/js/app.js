// Mini Discord's one hand-written script: stream cursor, de-duplication,
// connection state, scrolling and the keyboard. Everything else is htmx.
(function () {
  "use strict";

  function room() { return document.getElementById("room"); }
  function log() { return document.getElementById("messages"); }

  function atBottom(el) {
    return el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  }

  function markMine(scope) {
    var r = room();
    if (!r) return;
    var me = r.dataset.me;
    scope.querySelectorAll(".msg[data-author='" + me + "']").forEach(function (m) {
      m.classList.add("mine");
    });
  }

  function setState(state, text) {
    var el = document.getElementById("conn-state");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text;
  }

  // Keep the stream's cursor in its URL: htmx's SSE extension opens a fresh
  // EventSource after an error, and a fresh one sends no Last-Event-ID.
  function setCursor(id) {
    var r = room();
    if (!r || !id) return;
    var url = new URL(r.getAttribute("sse-connect"), location.href);
    url.searchParams.set("after", id);
    r.setAttribute("sse-connect", url.pathname + url.search);
  }

  var stickToBottom = true;

  document.addEventListener("htmx:sseBeforeMessage", function (evt) {
    var id = evt.detail && evt.detail.lastEventId;
    if (evt.detail.type === "message" && id && document.getElementById("msg-" + id)) {
      evt.preventDefault(); // already shown: a replay must not double it
      return;
    }
    var l = log();
    stickToBottom = l ? atBottom(l) : true;
  });

  document.addEventListener("htmx:sseMessage", function (evt) {
    if (evt.detail.type !== "message") return;
    setCursor(evt.detail.lastEventId);
    var l = log();
    if (!l) return;
    markMine(l);
    if (stickToBottom) {
      l.scrollTop = l.scrollHeight;
    } else {
      var pill = document.getElementById("new-pill");
      if (pill) pill.hidden = false;
    }
  });

  document.addEventListener("htmx:sseOpen", function () { setState("live", "live"); });
  document.addEventListener("htmx:sseError", function () { setState("reconnecting", "reconnecting…"); });

  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    if (t && t.id === "message-input" && evt.key === "Enter" && !evt.shiftKey && !evt.isComposing) {
      evt.preventDefault();
      if (t.value.trim() !== "") t.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (evt) {
    if (evt.target && evt.target.id === "new-pill") {
      var l = log();
      if (l) l.scrollTop = l.scrollHeight;
      evt.target.hidden = true;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var l = log();
    if (!l) return;
    markMine(l);
    l.scrollTop = l.scrollHeight;
    l.addEventListener("scroll", function () {
      var pill = document.getElementById("new-pill");
      if (pill && atBottom(l)) pill.hidden = true;
    });
  });
})();
