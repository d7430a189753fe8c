// Progress of builds and batches: poll the status URL, then reload the page with the result.
(function () {
  function poll(box) {
    var url = box.getAttribute("data-poll");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var bar = box.querySelector("progress");
        if (bar && typeof s.done === "number") { bar.value = s.done; }
        var done = box.querySelector(".done");
        if (done && typeof s.done === "number") { done.textContent = s.done; }
        if (s.done === true || s.finished === true || s.error) { window.location.reload(); return; }
        setTimeout(function () { poll(box); }, 700);
      })
      .catch(function () { setTimeout(function () { poll(box); }, 2000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
    document.querySelectorAll("form").forEach(function (f) {
      f.addEventListener("submit", function () {
        var b = f.querySelector("button");
        if (b && f.method.toLowerCase() === "post" && f.enctype === "multipart/form-data") { b.disabled = true; b.textContent = "处理中，请稍候……"; }
      });
    });
  });
})();
