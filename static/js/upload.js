// Photo upload for a checklist step: shrink on the phone, send with a progress bar, show the thumbnail.
// Wired by <input type="file" data-photo-input data-step data-url> with [data-thumbs], [data-upload-progress]
// and [data-upload-status] for the same step on the page.
import { csrfToken } from "./csrf.js";
import { downscalePhoto } from "./photo.js";

function send(url, form, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("x-csrftoken", csrfToken());
    xhr.setRequestHeader("x-device-time", new Date().toISOString());
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { body = {}; }
      resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body });
    });
    xhr.addEventListener("error", () => resolve({ ok: false, status: 0, body: {} }));
    xhr.send(form);
  });
}

function addThumbnail(list, photo, deleteLabel, deleteUrl) {
  const item = document.createElement("li");
  item.dataset.photoId = photo.id;
  const link = document.createElement("a");
  link.href = photo.url;
  const image = document.createElement("img");
  image.src = photo.thumbnail;
  image.alt = photo.step;
  image.width = 96;
  image.height = 96;
  link.append(image);
  const form = document.createElement("form");
  form.method = "post";
  form.action = deleteUrl;
  const token = document.createElement("input");
  token.type = "hidden";
  token.name = "_csrf_token";
  token.value = csrfToken();
  const button = document.createElement("button");
  button.type = "submit";
  button.className = "button secondary small";
  button.textContent = deleteLabel;
  form.append(token, button);
  item.append(link, form);
  list.append(item);
}

async function uploadFiles(input) {
  const step = input.dataset.step;
  const progress = document.querySelector(`[data-upload-progress="${step}"]`);
  const status = document.querySelector(`[data-upload-status="${step}"]`);
  const list = document.querySelector(`[data-thumbs="${step}"]`);
  for (const file of Array.from(input.files)) {
    status.textContent = input.dataset.uploading;
    progress.hidden = false;
    progress.value = 0;
    const blob = await downscalePhoto(file);
    const form = new FormData();
    const id = crypto.randomUUID();
    form.append("id", id);
    form.append("step", step);
    form.append("photo", blob, file.name.replace(/\.[^.]+$/, "") + (blob === file ? "" : ".jpg"));
    const result = await send(input.dataset.url, form, (percent) => {
      progress.value = percent;
      progress.textContent = `${percent}%`;
    });
    if (result.ok) {
      addThumbnail(list, result.body, input.dataset.deleteLabel, `${input.dataset.url}/${result.body.id}/delete`);
      status.textContent = "";
    } else {
      status.textContent = result.body.detail || input.dataset.failed;
      status.classList.add("field-error");
    }
    progress.hidden = true;
  }
  input.value = "";
  input.dispatchEvent(new CustomEvent("photos-uploaded", { bubbles: true }));
}

export function wirePhotoInputs(root) {
  for (const input of root.querySelectorAll("[data-photo-input]")) {
    input.addEventListener("change", () => uploadFiles(input));
  }
}
