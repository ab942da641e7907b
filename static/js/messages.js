// Reading messages, beside app.js. One rendering of a message serves
// everyone, so the server marks a mention with the id of who is mentioned
// (data-user-id) and this script, knowing who reads the page (data-me),
// makes that reader's mentions stand out more. And when older messages
// come in, the focus does not get lost.
(function () {
  "use strict";

  function me() {
    var holder = document.querySelector("[data-me]");
    return holder ? holder.dataset.me : "";
  }

  // markMentions marks the reader's mentions in scope, and the messages
  // that hold them.
  function markMentions(scope) {
    var id = me();
    if (!id || id === "0" || !/^\d+$/.test(id)) return;
    var sel = '.mention[data-user-id="' + id + '"]';
    var found = Array.from(scope.querySelectorAll(sel));
    if (scope.matches(sel)) found.push(scope);
    found.forEach(function (m) {
      m.classList.add("mention-me");
      var msg = m.closest(".msg");
      if (msg) msg.classList.add("mentions-me");
    });
  }

  // Messages come live, edited, and with older pages: whatever is added
  // to the log is looked at once.
  function watch(log) {
    markMentions(log);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType === 1) markMentions(n);
        });
      });
    }).observe(log, { childList: true, subtree: true });
  }

  // --- Older messages and the focus ---------------------------------------------
  // "Load older messages" puts a new one of itself above the page it
  // brings (htmx keeps the focus on it: same id). The last page brings the
  // start of the room instead; if the focus was on the control, it goes to
  // the room's first heading, which shows where the reader now is.
  var focusWasOnOlder = false;
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var t = evt.detail.target;
    if (t && t.id === "load-older") focusWasOnOlder = t.contains(document.activeElement);
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (!focusWasOnOlder || !evt.detail.target || evt.detail.target.id !== "load-older") return;
    focusWasOnOlder = false;
    if (document.getElementById("load-older-link")) return;
    var heading = document.getElementById("room-start-heading");
    if (heading) heading.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var log = document.getElementById("log");
    if (log) watch(log);
  });
})();
