"""photo_worst_peak_mb: how far 4 concurrent worst-case photo uploads raise a real server's resident memory.

Measured on ``onsite serve --demo`` in its own process (one uvicorn worker, the default settings:
ONSITE_PHOTO_MAX_DECODED_BYTES and ONSITE_PHOTO_DECODES), from outside: its high-water mark (VmHWM) is reset
through /proc/<pid>/clear_refs after warming up, the four uploads are sent at once, and the figure is the
peak minus the resident size before them.

The worst case is the upload that costs the most memory: each candidate below, just under the limits, is
sent four times at once to a fresh server (one small photo taken first), and the figure is the highest
peak. The 16-bit RGBA PNG of the security review (7000x7000, 381 KB) is among the candidates; it is now
refused from its header.
"""

import io
import re
import struct
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image

from bench.bench_visits import signed_in_client, visit_url
from bench.harness import BenchServer, emit
from tests.helpers.visits import jpeg

CONCURRENT = 4
PHOTO_STEPS = ("warranty", "reproduce", "verify", "arrive", "enter")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def flat_png(width: int, height: int, bit_depth: int, colour_type: int) -> bytes:
    """A PNG of one colour: megapixels on a few hundred kilobytes of the wire."""
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\0" + b"\x7f" * (width * channels * bit_depth // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def flat_heif(width: int, height: int) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 30)).save(buffer, "HEIF", quality=50)
    return buffer.getvalue()


def candidates() -> dict[str, bytes]:
    return {
        "review 16-bit RGBA PNG 7000x7000": flat_png(7000, 7000, 16, 6),
        "8-bit RGB PNG 5160x5160 (27 MP)": flat_png(5160, 5160, 8, 2),
        "8-bit RGBA PNG 4470x4470 (20 MP)": flat_png(4470, 4470, 8, 6),
        "16-bit grey PNG 8940x4470 (40 MP)": flat_png(8940, 4470, 16, 0),
        "HEIF 5160x5160 (27 MP)": flat_heif(5160, 5160),
    }


def kib(pid: int, field: str) -> int:
    return int(re.search(field + r":\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())[1])


def upload(client: httpx.Client, url: str, step: str, data: bytes) -> int:
    response = client.post(
        f"{url}/photos",
        data={"step": step, "id": str(uuid.uuid4())},
        files={"photo": ("p", data, "application/octet-stream")},
        headers={"x-csrftoken": client.cookies["csrftoken"], "accept": "application/json"},
    )
    return response.status_code


def peak_mb(server: BenchServer, clients: list[httpx.Client], url: str, step: str, data: bytes) -> tuple[float, set]:
    pid = server.process.pid
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = kib(pid, "VmRSS")
    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = set(pool.map(lambda client: upload(client, url, step, data), clients))
    return (kib(pid, "VmHWM") - before) / 1024, statuses


def signed_in(server: BenchServer) -> tuple[list[httpx.Client], str, str]:
    """Clients of the demo engineer, the visit in progress and a step that takes photos (one small JPEG sent)."""
    clients = [signed_in_client(server.url) for _ in range(CONCURRENT)]
    for client in clients:
        client.timeout = 300
    url = visit_url(clients[0])
    step = next(s for s in PHOTO_STEPS if upload(clients[0], url, s, jpeg()) == 201)
    return clients, url, step


def run() -> None:
    figures = {}
    for name, data in candidates().items():
        with BenchServer() as server:  # a fresh server each time: one small photo taken, then four at once
            clients, url, step = signed_in(server)
            figures[name] = peak_mb(server, clients, url, step, data)
        print(f"# {CONCURRENT} at once: {name}: {figures[name][0]:.0f} MB, HTTP {sorted(figures[name][1])}")
    emit("photo_worst_peak_mb", max(mb for mb, _statuses in figures.values()), "MB")
