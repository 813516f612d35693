// A list's 导出 Excel link (marked data-follow-query) exports what the list shows: when an htmx filter change pushes
// the list's new URL, copy its query string onto the link.
document.addEventListener("htmx:pushedIntoHistory", function () {
  document.querySelectorAll("a[data-follow-query]").forEach(function (link) {
    var url = new URL(link.getAttribute("href"), window.location.href);
    url.search = window.location.search;
    link.setAttribute("href", url.pathname + url.search);
  });
});

// The office menu on a phone: a toggle button (hidden until this script runs, so without JS the menu stays open).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var office = document.querySelector(".office");
  if (!toggle || !office) return;
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = office.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// 打印 buttons (print layouts of the household file, the mediation agreement, the errand receipt).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// A select marked data-autosubmit sends its form on change (no inline onchange: the CSP allows no inline script).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});
