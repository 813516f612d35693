// The hall's screens. On the display, every new announcement in the board ([data-call], one per call or recall)
// is spoken once with the browser's speech synthesis: "请 A012 号到 3 号窗口". Browsers only speak after a
// gesture, so the TV operator presses the 开启语音叫号 button once. On the kiosk slip, [data-print] prints it.
(function () {
  var heard = {};
  var speaking = false;

  function remember(root) {
    root.querySelectorAll("[data-call]").forEach(function (el) {
      heard[el.getAttribute("data-call")] = true;
    });
  }

  function speakNew(root) {
    var fresh = [];
    root.querySelectorAll("[data-call]").forEach(function (el) {
      var key = el.getAttribute("data-call");
      if (!heard[key]) {
        heard[key] = true;
        fresh.unshift(el.getAttribute("data-say"));
      }
    });
    if (!speaking || !("speechSynthesis" in window)) return;
    // Each call is said twice, as halls do, so someone who looked up late still hears it.
    fresh.forEach(function (text) {
      for (var i = 0; i < 2; i++) {
        var line = new SpeechSynthesisUtterance(text);
        line.lang = "zh-CN";
        line.rate = 0.9;
        window.speechSynthesis.speak(line);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.getElementById("board");
    if (board) remember(board);
    var toggle = document.querySelector("[data-speech-toggle]");
    if (toggle) {
      toggle.addEventListener("click", function () {
        speaking = !speaking;
        toggle.setAttribute("aria-pressed", speaking ? "true" : "false");
        toggle.textContent = speaking ? "🔊 语音叫号已开启" : "🔈 点此开启语音叫号";
      });
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "board") speakNew(event.detail.target);
  });
})();
