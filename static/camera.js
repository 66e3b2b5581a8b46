// Camera scanning for the code fields, where the browser can read QR codes (BarcodeDetector)
// and has a camera. The page works without it: the field takes a typed or scanned code.
// The texts come from the field's data attributes, so they are in the reader's language.
// In a scan session, the camera once started starts again on the next page, so the session
// goes on by phone without a tap per device.
(function () {
  "use strict";
  var KEEP = "devicepool-camera";

  function attach(input, formats) {
    if (formats.indexOf("qr_code") < 0) return;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary camera-button";
    button.textContent = input.dataset.camera;
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "hint";
    var video = document.createElement("video");
    video.muted = true;
    video.setAttribute("playsinline", "");
    video.className = "camera";
    video.hidden = true;
    video.setAttribute("aria-label", input.dataset.cameraView);
    input.parentNode.appendChild(button);
    input.parentNode.appendChild(status);
    input.parentNode.appendChild(video);
    var stream = null;
    var keep = input.dataset.cameraKeep === "yes";

    function stop(forget) {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.hidden = true;
      button.textContent = input.dataset.camera;
      if (forget) sessionStorage.removeItem(KEEP);
    }

    function look() {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        var code = codes.length ? String(codes[0].rawValue).trim() : "";
        if (!code) { setTimeout(look, 200); return; }
        input.value = code;
        stop(false);
        if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
      }, function () { setTimeout(look, 500); });
    }

    function start() {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          button.textContent = input.dataset.cameraStop;
          status.textContent = input.dataset.cameraOn;
          if (keep) sessionStorage.setItem(KEEP, "on");
          return video.play().then(look);
        })
        .catch(function () {
          stop(true);
          status.textContent = input.dataset.cameraError;
        });
    }

    button.addEventListener("click", function () {
      if (stream) { stop(true); status.textContent = ""; input.focus(); } else start();
    });
    if (keep && sessionStorage.getItem(KEEP) === "on") start();
  }

  var input = document.querySelector("input[data-camera]");
  if (!input || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  window.BarcodeDetector.getSupportedFormats().then(function (formats) { attach(input, formats); });
})();
