// Camera scanner for part labels and manufacturers' barcodes, wired by data-scanner* attributes.
// Uses the browser's BarcodeDetector, else the vendored WebAssembly ponyfill (loaded only on scanner pages).
const FORMATS = ["qr_code", "code_128", "ean_13", "data_matrix"];
const REPEAT_MS = 4000; // the same code read again within this time is ignored
const FRAME_MS = 120;

async function makeDetector(root) {
  if ("BarcodeDetector" in window) {
    const supported = await window.BarcodeDetector.getSupportedFormats();
    if (FORMATS.every((f) => supported.includes(f))) return new window.BarcodeDetector({ formats: FORMATS });
  }
  const module = await import(root.dataset.ponyfillUrl);
  const wasmUrl = new URL(root.dataset.wasmUrl, location.href).href;
  module.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
    fireImmediately: true,
  });
  return new module.BarcodeDetector({ formats: FORMATS });
}

function feedback() {
  if (navigator.vibrate) navigator.vibrate(80);
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    const tone = audio.createOscillator();
    tone.frequency.value = 1200;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.08);
    tone.onended = () => audio.close();
  } catch {
    // no audio: the vibration and the message are enough
  }
}

class Scanner {
  constructor(root) {
    this.root = root;
    this.video = root.querySelector("[data-scanner-video]");
    this.status = root.querySelector("[data-scanner-status]");
    this.cameraSelect = root.querySelector("[data-scanner-camera]");
    this.cameraLabel = root.querySelector("[data-scanner-camera-label]");
    this.startButton = root.querySelector("[data-scanner-start]");
    this.stopButton = root.querySelector("[data-scanner-stop]");
    this.torchButton = root.querySelector("[data-scanner-torch]");
    this.canvas = document.createElement("canvas");
    this.recent = new Map();
    this.detectorPromise = null; // made when the camera starts: the 1 MB decoder loads only when needed
    this.startButton.addEventListener("click", () => this.start());
    this.stopButton.addEventListener("click", () => this.stop());
    this.torchButton.addEventListener("click", () => this.toggleTorch());
    this.cameraSelect.addEventListener("change", () => this.start(this.cameraSelect.value));
  }

  say(text) {
    this.status.textContent = text;
  }

  async start(deviceId) {
    this.stop();
    if (!this.detectorPromise) {
      this.detectorPromise = makeDetector(this.root);
      this.detectorPromise.catch((error) => this.say(String(error)));
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.say(this.root.dataset.msgNoCamera);
      return;
    }
    const video = deviceId ? { deviceId: { exact: deviceId } } : { facingMode: "environment" };
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (error) {
      this.say(`${this.root.dataset.msgNoCamera} (${error.name})`);
      return;
    }
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    this.stopButton.hidden = false;
    this.startButton.hidden = true;
    await this.video.play().catch(() => {});
    await this.listCameras();
    this.setupTorch();
    this.root.dataset.scanning = "true";
    this.loop();
  }

  async listCameras() {
    const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    const current = this.stream.getVideoTracks()[0]?.getSettings().deviceId;
    this.cameraSelect.replaceChildren(...devices.map((device, index) => {
      const option = new Option(device.label || `Camera ${index + 1}`, device.deviceId);
      option.selected = device.deviceId === current;
      return option;
    }));
    const several = devices.length > 1;
    this.cameraSelect.hidden = !several;
    this.cameraLabel.hidden = !several;
  }

  setupTorch() {
    const track = this.stream.getVideoTracks()[0];
    const capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
    this.torchButton.hidden = !capabilities.torch;
    this.torch = false;
  }

  async toggleTorch() {
    const track = this.stream && this.stream.getVideoTracks()[0];
    if (!track) return;
    this.torch = !this.torch;
    await track.applyConstraints({ advanced: [{ torch: this.torch }] }).catch(() => {});
    this.torchButton.setAttribute("aria-pressed", String(this.torch));
  }

  stop() {
    clearTimeout(this.timer);
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.hidden = true;
    this.stopButton.hidden = true;
    this.torchButton.hidden = true;
    this.startButton.hidden = false;
    delete this.root.dataset.scanning;
  }

  async loop() {
    if (!this.stream) return;
    try {
      const detector = await this.detectorPromise;
      if (this.video.videoWidth) {
        this.canvas.width = this.video.videoWidth;
        this.canvas.height = this.video.videoHeight;
        this.canvas.getContext("2d", { willReadFrequently: true }).drawImage(this.video, 0, 0);
        for (const code of await detector.detect(this.canvas)) this.found(code.rawValue);
      }
    } catch (error) {
      this.say(String(error));
    }
    if (this.stream) this.timer = setTimeout(() => this.loop(), FRAME_MS);
  }

  found(raw) {
    const now = Date.now();
    if (!raw || now - (this.recent.get(raw) || 0) < REPEAT_MS) return;
    this.recent.set(raw, now);
    feedback();
    const code = labelId(raw);
    this.say(this.root.dataset.msgRead.replace("%(code)s", code));
    this.root.dataset.lastCode = raw;
    const fill = this.root.dataset.scannerFill;
    const input = fill && document.querySelector(fill);
    if (input) {
      input.value = input.tagName === "TEXTAREA" && input.value.trim() ? `${input.value.trim()}\n${code}` : code;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
    this.stop();
    location.assign(`/parts/lookup?code=${encodeURIComponent(raw)}`);
  }
}

// An Onsite label holds HTTPS://HOST/U/<ID>: the field shows the ID, which the clerk can read on the label.
function labelId(raw) {
  const match = /^https?:\/\/[^/]+\/u\/([0-9a-z]+)\/?$/i.exec(raw.trim());
  return match ? match[1].toUpperCase() : raw;
}

document.querySelectorAll("[data-scanner]").forEach((root) => new Scanner(root));
