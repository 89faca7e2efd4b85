// detente workbench: small progressive enhancements. Every page works
// without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A select marked data-autosubmit applies its form at once.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) el.form.requestSubmit();
    });
  });
  // "/" focuses the search box, as in most search tools.
  var q = document.getElementById("q");
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || !q) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    e.preventDefault();
    q.focus();
    q.select();
  });
  // Jumping to an event's sentence flashes it, so the eye finds it.
  function flash() {
    if (!location.hash) return;
    var a = document.getElementById(location.hash.slice(1));
    var s = a && a.nextElementSibling;
    if (!s || !s.classList.contains("evsent")) return;
    s.classList.add("flash");
    setTimeout(function () { s.classList.remove("flash"); }, 1600);
  }
  window.addEventListener("hashchange", flash);
  flash();
});
