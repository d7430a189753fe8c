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
    // the Chinese file chooser (templates/_file.html): show the chosen file names
    document.querySelectorAll("input.file").forEach(function (input) {
      var chosen = input.nextElementSibling && input.nextElementSibling.querySelector(".chosen");
      if (!chosen) { return; }
      var empty = chosen.textContent;
      function show() {
        var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        if (!names.length) { chosen.textContent = empty; chosen.classList.remove("has"); return; }
        chosen.textContent = names.length === 1 ? names[0] : "已选 " + names.length + " 个文件：" + names.join("、");
        chosen.classList.add("has");
      }
      input.addEventListener("change", show);
      show();
    });
    document.querySelectorAll("form").forEach(function (f) {
      f.addEventListener("submit", function () {
        var b = f.querySelector("button");
        if (b && f.method.toLowerCase() === "post" && f.enctype === "multipart/form-data") { b.disabled = true; b.textContent = "处理中，请稍候……"; }
      });
    });
  });
})();
