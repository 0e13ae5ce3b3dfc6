// The customer's signature: signature_pad on a canvas; strokes and image go with the form (INV-1).
import SignaturePad from "../vendor/signature_pad-5.1.4.js";

function fitCanvas(canvas, pad) {
  const width = canvas.parentElement.clientWidth;
  // Sharp on the screen, but within the 2000 × 1000 pixels the server keeps (app/media/signature.py).
  const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2000 / Math.max(width, 1), 1000 / 180);
  canvas.width = Math.floor(width * ratio);
  canvas.height = Math.floor(180 * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = "180px";
  canvas.getContext("2d").scale(ratio, ratio);
  pad.clear();
  canvas.dataset.ready = "";  // fitted: a stroke drawn from now on is kept
}

export function wireSignatureForm(form) {
  const canvas = form.querySelector("[data-signature-pad]");
  const pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });
  // A pad in a hidden panel (the checklist's customer view) has no width yet: fit it when it is shown.
  const fitWhenShown = new ResizeObserver(() => {
    if (!canvas.parentElement.clientWidth) return;
    fitCanvas(canvas, pad);
    fitWhenShown.disconnect();
  });
  fitWhenShown.observe(canvas.parentElement);
  form.querySelector("[data-signature-clear]").addEventListener("click", () => pad.clear());
  form.addEventListener("submit", (event) => {
    if (pad.isEmpty()) {
      event.preventDefault();
      const area = document.getElementById("messages");
      if (area) {
        area.innerHTML = "";
        const message = document.createElement("p");
        message.className = "message message-error";
        message.setAttribute("role", "alert");
        message.textContent = form.dataset.emptyText;
        area.append(message);
      }
      return;
    }
    form.querySelector('input[name="strokes"]').value = JSON.stringify(pad.toData());
    form.querySelector('input[name="image"]').value = pad.toDataURL("image/png");
    form.querySelector('input[name="device_time"]').value = new Date().toISOString();
  });
}

for (const form of document.querySelectorAll("[data-signature-form]")) wireSignatureForm(form);

// Pads that keep their image in a hidden input named by the canvas (carry-in intake and pickup).
export function installSignaturePads(root) {
  root.querySelectorAll('canvas[data-signature-pad]:not([data-signature-pad=""])').forEach((canvas) => {
    const input = document.getElementById(canvas.dataset.signaturePad);
    const pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });
    canvas.dataset.ready = "";
    pad.addEventListener("endStroke", () => { input.value = pad.toDataURL("image/png"); });
    root.querySelector(`[data-signature-clear="${canvas.dataset.signaturePad}"]`)?.addEventListener("click", () => {
      pad.clear();
      input.value = "";
    });
  });
}
