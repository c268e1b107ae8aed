// kiemtra web app: small progressive enhancements. Every page works without this file.
// - forms with data-confirm ask before they are sent;
// - links with data-download fetch their file with a progress line (a PDF takes seconds);
// - photo links with data-photo open large in a dialog, with their caption.
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  });

  function fileName(res, fallback) {
    var cd = res.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    if (star) { return decodeURIComponent(star[1]); }
    var plain = /filename="?([^";]+)"?/i.exec(cd);
    return plain ? plain[1] : fallback;
  }

  async function download(link) {
    var status = link.parentNode.querySelector(".download-progress");
    if (!status) {
      status = document.createElement("span");
      status.className = "download-progress";
      status.setAttribute("role", "status");
      link.after(status);
    }
    status.textContent = "Đang tạo tệp…";
    link.setAttribute("aria-busy", "true");
    try {
      var res = await fetch(link.href, { credentials: "same-origin" });
      if (!res.ok) {
        var text = await res.text();
        var doc = new DOMParser().parseFromString(text, "text/html");
        var msg = doc.querySelector("[data-error]");
        status.textContent = "Không tải được: " + (msg ? msg.textContent.trim() : res.status);
        return;
      }
      var total = Number(res.headers.get("Content-Length")) || 0;
      var reader = res.body.getReader();
      var chunks = [], got = 0;
      for (;;) {
        var step = await reader.read();
        if (step.done) { break; }
        chunks.push(step.value);
        got += step.value.length;
        status.textContent = total
          ? "Đang tải " + Math.round((got * 100) / total) + "%"
          : "Đã tải " + Math.round(got / 1024) + " KB";
      }
      var blob = new Blob(chunks, { type: res.headers.get("Content-Type") || "" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = fileName(res, link.getAttribute("data-download") || "tep");
      document.body.appendChild(a);
      a.click();
      a.remove();
      status.textContent = "Đã tải xong (" + Math.round(got / 1024) + " KB).";
    } catch (err) {
      status.textContent = "Không tải được: mất kết nối.";
    } finally {
      link.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-download]");
    if (link && window.fetch && window.ReadableStream) {
      e.preventDefault();
      download(link);
      return;
    }
    var photo = e.target.closest && e.target.closest("a[data-photo]");
    if (photo && window.HTMLDialogElement) {
      e.preventDefault();
      var dialog = document.getElementById("photo-dialog");
      if (!dialog) { return; }
      var img = dialog.querySelector("img");
      img.src = photo.href;
      img.alt = photo.getAttribute("data-photo") || "";
      dialog.querySelector("figcaption").textContent = photo.getAttribute("data-photo") || "";
      dialog.showModal();
    }
    if (e.target.matches && e.target.matches("[data-close-dialog]")) {
      e.target.closest("dialog").close();
    }
  });
})();
