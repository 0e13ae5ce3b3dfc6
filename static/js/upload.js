// Photos of a checklist step: shrunk on the phone, kept in the outbox as Blobs (so they survive a reload or a
// restart with no signal) and sent in order with the visit's other work, with a progress bar while sending.
// Wired by <input type="file" data-photo-input data-step data-url data-job> with [data-thumbs],
// [data-upload-progress] and [data-upload-status] for the same step on the page.
import { allItems } from "./outbox-store.js";
import { discard, enqueueItem, flush, onOutboxChange } from "./outbox.js";
import { downscalePhoto } from "./photo.js";

// What the browser can draw from the Blob; a HEIC photo (the iPhone's) is drawn by the server once it has it.
const DRAWABLE = ["image/jpeg", "image/png", "image/webp"];

// A photo still on its way: its file name in the thumbnail's place, instead of a picture the browser cannot draw.
function placeholder(name, label) {
  const box = Object.assign(document.createElement("span"), { className: "thumb-placeholder", textContent: name });
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", `${label}: ${name}`);
  return box;
}

function thumbnail(input, item) {
  const entry = document.createElement("li");
  entry.className = "is-pending";
  entry.dataset.outboxPhoto = item.id;
  const file = item.files[0];
  let image = placeholder(file.filename, input.dataset.label);
  if (DRAWABLE.includes(file.blob.type)) {
    image = Object.assign(document.createElement("img"), { src: URL.createObjectURL(file.blob), alt: input.dataset.label, width: 96, height: 96 });
    image.addEventListener("error", () => image.replaceWith(placeholder(file.filename, input.dataset.label)), { once: true });
  }
  const note = Object.assign(document.createElement("small"), { textContent: input.dataset.pending });
  const remove = Object.assign(document.createElement("button"), { type: "button", className: "button secondary small", textContent: input.dataset.remove });
  remove.addEventListener("click", async () => {
    await discard(item.id);
    entry.remove();
    input.dispatchEvent(new CustomEvent("photo:removed", { bubbles: true, detail: { step: input.dataset.step } }));
  });
  entry.append(image, note, remove);
  document.querySelector(`[data-thumbs="${input.dataset.step}"]`).append(entry);
}

async function keepPhotos(input) {
  const status = document.querySelector(`[data-upload-status="${input.dataset.step}"]`);
  for (const file of Array.from(input.files)) {
    const blob = await downscalePhoto(file);
    const filename = blob === file ? file.name : `${file.name.replace(/\.[^.]+$/, "")}.jpg`;
    const item = await enqueueItem({
      url: input.dataset.url, jobId: input.dataset.job, jobNumber: input.dataset.jobNumber, label: input.dataset.label,
      fields: [["id", crypto.randomUUID()], ["step", input.dataset.step]],
      files: [{ name: "photo", filename, type: blob.type, blob }], source: input,
    });
    thumbnail(input, item);
    status.textContent = "";
  }
  input.value = "";
  flush();
}

function showProgress(event) {
  const step = Object.fromEntries(event.detail.item.fields).step;
  const progress = document.querySelector(`[data-upload-progress="${step}"]`);
  if (!progress) return;
  progress.hidden = event.detail.percent >= 100;
  progress.value = event.detail.percent;
  progress.textContent = `${event.detail.percent}%`;
}

function markSent(event) {
  const entry = document.querySelector(`[data-outbox-photo="${event.detail.item.id}"]`);
  if (!entry) return;
  entry.classList.remove("is-pending");
  entry.querySelectorAll("small, button").forEach((element) => element.remove());
  const waiting = entry.querySelector(".thumb-placeholder");
  if (waiting) {  // the server's thumbnail of what it stored (the photo's id is the phone's)
    const id = Object.fromEntries(event.detail.item.fields).id;
    waiting.replaceWith(Object.assign(document.createElement("img"), { src: `${event.detail.item.url}/${id}/thumb`, alt: waiting.getAttribute("aria-label"), width: 96, height: 96 }));
  }
}

// A photo the server refused (not a picture, too large) says why under its step, and stays until discarded.
function showRefusals(items) {
  for (const item of items.filter((one) => one.status === "failed" && one.files.length)) {
    const status = document.querySelector(`[data-upload-status="${Object.fromEntries(item.fields).step}"]`);
    if (status) {
      status.textContent = item.error;
      status.classList.add("field-error");
    }
  }
}

export async function wirePhotoInputs(root) {
  const inputs = [...root.querySelectorAll("[data-photo-input]")];
  if (!inputs.length) return;
  const kept = await allItems();
  for (const input of inputs) {
    input.addEventListener("change", () => keepPhotos(input));
    input.dataset.ready = "";  // listened to: a photo chosen from now on is kept (the outbox was read first)
    kept.filter((item) => item.url === input.dataset.url && item.status !== "failed" && Object.fromEntries(item.fields).step === input.dataset.step)
      .forEach((item) => thumbnail(input, item));
  }
  window.addEventListener("outbox:progress", showProgress);
  window.addEventListener("outbox:sent", markSent);
  onOutboxChange(showRefusals);
  // A photo already on the server, deleted here: gone from the page at once, deleted there on the next sync.
  document.addEventListener("outbox:queued", (event) => {
    if (event.target.matches?.("[data-photo-delete]")) event.target.closest("li")?.remove();
  });
}
