// The kiosk's 预约签到 page reads the check-in QR on a resident's phone with the kiosk's camera.
// The browser's own BarcodeDetector reads it where there is one; elsewhere the vendored jsQR
// (static/vendor/jsqr/) is loaded on first use. What is read goes into the code field and is posted with that
// form: the same path a hand scanner or typing takes, so the server's checks are the only checks.
// Without a camera the reader does not show at all; when permission is refused it says so, and the typed field
// stays as it was.
(function () {
  var READ_EVERY_MS = 250;
  var GIVE_UP_MS = 120000; // the camera is closed after two minutes without a code, so it is not left on all day
  var MAX_SIDE = 800; // frames are scaled down to this before jsQR reads them: fast enough on a kiosk's CPU

  function jsqrReader() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function (video) {
      var width = video.videoWidth;
      var height = video.videoHeight;
      if (!width || !height) return Promise.resolve(null);
      var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(found ? found.data : null);
    };
  }

  function loadJsqr(src, done) {
    if (window.jsQR) return done(jsqrReader());
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () {
      done(window.jsQR ? jsqrReader() : null);
    };
    script.onerror = function () {
      done(null);
    };
    document.head.appendChild(script);
  }

  // done(read) with read(video) -> Promise of the text of a QR in the frame, or null; done(null) if none works.
  function makeReader(src, done) {
    if (!("BarcodeDetector" in window)) return loadJsqr(src, done);
    window.BarcodeDetector.getSupportedFormats().then(
      function (formats) {
        if (formats.indexOf("qr_code") < 0) return loadJsqr(src, done);
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        done(function (video) {
          return detector.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        });
      },
      function () {
        loadJsqr(src, done);
      }
    );
  }

  function refusal(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "没有获得使用摄像头的授权。请把二维码对准扫码口,或在下面输入手机号签到。";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "这台设备没有可用的摄像头。请把二维码对准扫码口,或在下面输入手机号签到。";
    }
    return "摄像头打不开(可能正被占用)。请把二维码对准扫码口,或在下面输入手机号签到。";
  }

  function setUp(box) {
    var form = document.getElementById(box.getAttribute("data-form"));
    var field = form && form.querySelector("[name=code]");
    var video = box.querySelector("[data-camera-video]");
    var status = box.querySelector("[data-camera-status]");
    var startButton = box.querySelector("[data-camera-start]");
    var stopButton = box.querySelector("[data-camera-stop]");
    var prefix = box.getAttribute("data-code-prefix") || "";
    if (!field || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return; // stays hidden
    var stream = null;
    var timer = null;
    var startedAt = 0;
    var lastWrong = "";

    function say(text) {
      status.textContent = text;
    }

    function stop(message) {
      if (timer) window.clearTimeout(timer);
      timer = null;
      if (stream) {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
      }
      stream = null;
      video.srcObject = null;
      video.hidden = true;
      stopButton.hidden = true;
      startButton.hidden = false;
      if (message) say(message);
    }

    function found(code) {
      stop("已读到二维码,正在签到……");
      box.setAttribute("data-camera-state", "read");
      field.value = code;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    function loop(read) {
      if (!stream) return;
      if (Date.now() - startedAt > GIVE_UP_MS) {
        stop("摄像头已关闭。需要时请再点“打开摄像头扫码”。");
        return;
      }
      read(video)
        .then(
          function (code) {
            if (!stream) return;
            if (code && code.indexOf(prefix) === 0) return found(code);
            if (code && code !== lastWrong) {
              lastWrong = code;
              say("这不是预约签到码。请打开手机上“我的预约”,对准那里的二维码。");
            }
          },
          function () {} // one unreadable frame: try the next one
        )
        .then(function () {
          if (stream) timer = window.setTimeout(loop, READ_EVERY_MS, read);
        });
    }

    function start() {
      if (stream) return;
      say("正在打开摄像头……");
      startButton.hidden = true;
      navigator.mediaDevices
        .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          stopButton.hidden = false;
          var playing = video.play();
          if (playing && playing.catch) playing.catch(function () {});
          makeReader(box.getAttribute("data-jsqr-src"), function (read) {
            if (!read) {
              stop("这台设备的浏览器读不了二维码。请把二维码对准扫码口,或在下面输入手机号签到。");
              return;
            }
            startedAt = Date.now();
            box.setAttribute("data-camera-state", "scanning");
            say("请把手机上的预约二维码对准摄像头,离屏幕一臂远。");
            loop(read);
          });
          field.focus(); // a hand scanner still types into the field while the camera looks
        })
        .catch(function (error) {
          stop(refusal(error));
          box.setAttribute("data-camera-state", "refused");
          field.focus();
        });
    }

    function show() {
      box.hidden = false;
      // A kiosk whose browser already has the camera allowed starts looking at once; otherwise nobody is asked
      // for permission until someone presses the button. Not after a refused code: the phone may still be held
      // up, and the same code would be posted again and again.
      if (box.hasAttribute("data-autostart") && navigator.permissions && navigator.permissions.query) {
        navigator.permissions.query({ name: "camera" }).then(
          function (permission) {
            if (permission.state === "granted") start();
          },
          function () {}
        );
      }
    }

    // Shown only when the device has a camera (a kiosk without one keeps the page it had: the typed fields);
    // one plugged in later shows it then.
    function showIfCamera() {
      if (!box.hidden) return;
      if (!navigator.mediaDevices.enumerateDevices) return show();
      navigator.mediaDevices.enumerateDevices().then(
        function (devices) {
          var cameras = devices.filter(function (device) {
            return device.kind === "videoinput";
          });
          if (cameras.length) show();
        },
        function () {}
      );
    }

    startButton.addEventListener("click", start);
    stopButton.addEventListener("click", function () {
      stop("摄像头已关闭。");
      field.focus();
    });
    window.addEventListener("pagehide", function () {
      stop("");
    });
    if (navigator.mediaDevices.addEventListener) navigator.mediaDevices.addEventListener("devicechange", showIfCamera);
    showIfCamera();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-camera-scan]").forEach(setUp);
  });
})();
