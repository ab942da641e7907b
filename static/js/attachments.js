// Files for the composer: picked with the paperclip (the form's own file
// input), dropped anywhere on the room, or pasted into the box. They wait
// in a list under the box, each with a button to take it off, and go with
// the next message, text or not (send.js posts them, and reports the
// upload's progress here for the bar). The server decides what each file
// is and may refuse it; its words come back under the box like any other
// refusal. Without JavaScript the file input is a plain one in the form.
(function () {
  "use strict";

  var MAX_FILES = 4; // handlers.maxFiles
  var pending = [];  // File objects for the next message

  function form() { return document.getElementById("message-form"); }

  function sizeText(n) {
    if (n < 1024) return n + " B";
    var units = ["KB", "MB", "GB"], v = n / 1024, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (v >= 10 ? Math.round(v) : Math.round(v * 10) / 10) + " " + units[i];
  }

  // list is the row of waiting files, made again when the form is swapped.
  function list() {
    var f = form();
    if (!f) return null;
    var ul = document.getElementById("pending-files");
    if (!ul) {
      ul = document.createElement("ul");
      ul.id = "pending-files";
      ul.className = "pending-files";
      ul.setAttribute("aria-label", "Files to send");
      ul.dataset.testid = "pending-files";
      var box = f.querySelector(".composer-box");
      f.insertBefore(ul, box);
    }
    return ul;
  }

  function bar() {
    var f = form();
    if (!f) return null;
    var p = document.getElementById("upload-progress");
    if (!p) {
      p = document.createElement("progress");
      p.id = "upload-progress";
      p.className = "upload-progress";
      p.max = 100;
      p.value = 0;
      p.hidden = true;
      p.setAttribute("aria-label", "Upload");
      p.dataset.testid = "upload-progress";
      f.insertBefore(p, f.querySelector(".composer-box"));
    }
    return p;
  }

  // render draws the waiting files; names are text, never markup.
  function render() {
    var ul = list();
    if (!ul) return;
    ul.textContent = "";
    pending.forEach(function (file, i) {
      var li = document.createElement("li");
      li.className = "pending-file";
      li.dataset.testid = "pending-file";
      var name = document.createElement("span");
      name.className = "pf-name";
      name.textContent = file.name || "pasted image";
      name.title = name.textContent;
      var size = document.createElement("span");
      size.className = "pf-size";
      size.textContent = sizeText(file.size);
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "ghost";
      drop.textContent = "×";
      drop.setAttribute("aria-label", "Remove " + name.textContent);
      drop.addEventListener("click", function () {
        pending.splice(i, 1);
        render();
        var box = document.getElementById("message-input");
        if (box) box.focus();
      });
      li.append(name, size, drop);
      ul.appendChild(li);
    });
  }

  function add(files) {
    if (!files) return;
    for (var i = 0; i < files.length; i++) {
      if (pending.length >= MAX_FILES) {
        note("At most " + MAX_FILES + " files go with one message.");
        break;
      }
      pending.push(files[i]);
    }
    render();
  }

  function note(text) {
    var p = document.getElementById("send-error");
    var f = form();
    if (!f) return;
    if (!p) {
      p = document.createElement("p");
      p.id = "send-error";
      p.className = "error";
      p.setAttribute("role", "alert");
      p.dataset.testid = "message-error";
      f.appendChild(p);
    }
    p.textContent = text;
  }

  // What send.js uses.
  window.minidiscordFiles = {
    count: function () { return pending.length; },
    take: function () { var out = pending; pending = []; render(); return out; },
    restore: function (files) { pending = files.concat(pending).slice(0, MAX_FILES); render(); },
    // progress shows a fraction (0..1) of the upload, or hides the bar (null).
    progress: function (fraction) {
      var p = bar();
      if (!p) return;
      p.hidden = fraction === null;
      p.value = fraction === null ? 0 : Math.round(fraction * 100);
    }
  };

  // The paperclip: the form's own input, emptied once read so that the
  // form never carries the files itself (send.js does).
  document.addEventListener("change", function (evt) {
    var t = evt.target;
    if (!t || t.id !== "file-input") return;
    add(t.files);
    t.value = "";
    var box = document.getElementById("message-input");
    if (box) box.focus();
  });

  // Pasting an image (a screenshot) into the box.
  document.addEventListener("paste", function (evt) {
    var t = evt.target;
    if (!t || t.id !== "message-input" || !evt.clipboardData) return;
    var files = evt.clipboardData.files;
    if (files && files.length) {
      evt.preventDefault();
      add(files);
    }
  });

  // Dropping files anywhere on the room.
  function hasFiles(evt) {
    var types = evt.dataTransfer && evt.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }
  function dropZone() { return document.querySelector(".chat") || document.getElementById("room"); }
  var depth = 0;
  document.addEventListener("dragenter", function (evt) {
    if (!hasFiles(evt) || !form()) return;
    depth++;
    var z = dropZone();
    if (z) z.classList.add("room-drop");
  });
  document.addEventListener("dragleave", function (evt) {
    if (!hasFiles(evt)) return;
    depth = Math.max(0, depth - 1);
    var z = dropZone();
    if (z && depth === 0) z.classList.remove("room-drop");
  });
  document.addEventListener("dragover", function (evt) {
    if (hasFiles(evt) && form()) evt.preventDefault(); // allows the drop
  });
  document.addEventListener("drop", function (evt) {
    depth = 0;
    var z = dropZone();
    if (z) z.classList.remove("room-drop");
    if (!hasFiles(evt) || !form()) return;
    evt.preventDefault();
    add(evt.dataTransfer.files);
    var box = document.getElementById("message-input");
    if (box) box.focus();
  });

  // With the script the paperclip button stands for the input, which
  // stays in the form (keyboard focus reaches it) but out of sight.
  function hideInput() {
    var input = document.getElementById("file-input");
    if (input) input.classList.add("visually-hidden");
  }
  document.addEventListener("DOMContentLoaded", hideInput);
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "message-form") {
      hideInput();
      render();
    }
  });
})();
