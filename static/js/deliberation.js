// 居民议事厅: similar proposals while typing, the print button, and the hall screen's cycling sections.
(function () {
  "use strict";

  var form = document.getElementById("proposal-form");
  if (form && window.htmx) {
    var url = form.getAttribute("data-similar-url");
    var timer = null;
    var refresh = function () {
      var title = form.querySelector("[name=title]");
      var text = form.querySelector("[name=text]");
      var query = "?title=" + encodeURIComponent(title ? title.value : "") + "&text=" + encodeURIComponent(text ? text.value.slice(0, 2000) : "");
      window.htmx.ajax("GET", url + query, { target: "#similar", swap: "innerHTML" });
    };
    form.addEventListener("input", function (event) {
      if (event.target.name !== "title" && event.target.name !== "text") return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 600);
    });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var screen = document.querySelector("[data-cycle]");
  if (screen) {
    var sections = screen.querySelectorAll("[data-section]");
    var delay = parseInt(screen.getAttribute("data-cycle"), 10) || 12000;
    var index = 0;
    if (sections.length > 1) {
      screen.classList.add("cycling");
      var show = function () {
        sections.forEach(function (s, i) { s.classList.toggle("current", i === index); });
        index = (index + 1) % sections.length;
      };
      show();
      setInterval(show, delay);
      // The board's figures change slowly; reload every ten minutes to pick up new results.
      setTimeout(function () { window.location.reload(); }, 600000);
    }
  }
})();
