"""login_page_p95_ms at 20 concurrent clients (bare_p95_ms, the floor, is measured beside the board)."""

from bench.harness import BenchServer, emit, latency_p95_ms


def run() -> None:
    with BenchServer() as server:
        emit("login_page_p95_ms", latency_p95_ms(f"{server.url}/login"), "ms")
