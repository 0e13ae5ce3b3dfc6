// Shrinks a photo on the phone before it is uploaded, to save data on a weak signal: downscalePhoto(file)
// gives a JPEG Blob, upright, at most maxSide pixels on its long side. The server still checks and
// normalises whatever it receives (app/media/), so any photo the browser cannot decode (HEIC on most
// Android phones, say) is handed back untouched for the server to read or refuse.
// Not wired to a page yet: the visit checklist imports it.

const SMALL_ENOUGH_BYTES = 700 * 1024;

export async function downscalePhoto(file, { maxSide = 2048, quality = 0.85 } = {}) {
  const bitmap = await decode(file);
  if (!bitmap) return file;
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= SMALL_ENOUGH_BYTES && (await isJpeg(file))) return file;
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    return await encodeJpeg(bitmap, width, height, quality);
  } finally {
    bitmap.close();
  }
}

// The picture turned upright from its EXIF orientation, or null when this browser cannot decode it.
async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    try {
      return await createImageBitmap(file); // browsers that reject the option turn photos upright anyway
    } catch {
      return null;
    }
  }
}

// By content, as the server does: the file's name and declared type can be wrong.
async function isJpeg(file) {
  const start = new Uint8Array(await file.slice(0, 3).arrayBuffer());
  return start[0] === 0xff && start[1] === 0xd8 && start[2] === 0xff;
}

async function encodeJpeg(bitmap, width, height, quality) {
  const offscreen = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(width, height) : null;
  const offscreenContext = offscreen?.getContext("2d"); // null in browsers with OffscreenCanvas but no 2D
  if (offscreenContext) {
    draw(offscreenContext, bitmap, width, height);
    return offscreen.convertToBlob({ type: "image/jpeg", quality });
  }
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  draw(canvas.getContext("2d"), bitmap, width, height);
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("This browser could not encode the photo."))),
      "image/jpeg",
      quality,
    );
  });
}

function draw(context, bitmap, width, height) {
  context.fillStyle = "#fff"; // a JPEG has no transparency: white, as on the server
  context.fillRect(0, 0, width, height);
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
}
