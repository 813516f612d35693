// 朗读: read a notice aloud with the browser's own speech synthesis (zh-CN). The button stays hidden where the
// browser has none, so nobody is offered something that does nothing.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-read-aloud]");
  if (!button || !("speechSynthesis" in window)) return;
  var source = document.getElementById(button.getAttribute("data-read-aloud"));
  button.hidden = false;
  button.addEventListener("click", function () {
    if (window.speechSynthesis.speaking) {
      window.speechSynthesis.cancel();
      button.textContent = "朗读通知";
      return;
    }
    var utterance = new SpeechSynthesisUtterance(source.innerText);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    utterance.onend = function () { button.textContent = "朗读通知"; };
    button.textContent = "停止朗读";
    window.speechSynthesis.speak(utterance);
  });
});
