// The visit checklist page: the phone's time on every step form, the observation countdown, photo uploads.
import { wirePhotoInputs } from "./upload.js";

function stampDeviceTime(root) {
  for (const form of root.querySelectorAll("[data-visit-form]")) {
    form.addEventListener("submit", () => {
      const field = form.querySelector('input[name="device_time"]');
      if (field) field.value = new Date().toISOString();
    });
  }
}

function runTimers(root) {
  for (const timer of root.querySelectorAll("[data-timer-start]")) {
    const end = new Date(timer.dataset.timerStart).getTime() + Number(timer.dataset.timerMinutes) * 60_000;
    const output = document.createElement("strong");
    output.className = "countdown";
    timer.append(" ", output);
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      output.textContent = left
        ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`
        : timer.dataset.doneText;
      if (left) setTimeout(tick, 1000);
    };
    tick();
  }
}

function scrollToCurrent() {
  const current = document.getElementById("current");
  if (current && !location.hash) current.scrollIntoView({ block: "start" });
}

stampDeviceTime(document);
runTimers(document);
wirePhotoInputs(document);
scrollToCurrent();
