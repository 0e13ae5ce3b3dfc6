"""``make bench``: every benchmark, one ``name value unit`` line per figure."""

import sys

from bench import (
    bench_board,
    bench_foundation,
    bench_jobs,
    bench_mixed,
    bench_offline,
    bench_parts,
    bench_photo_memory,
    bench_photos,
    bench_reports,
    bench_visit_actions,
    bench_visits,
    bench_writes,
)
from bench.harness import machine

BENCHMARKS = [
    bench_foundation,
    bench_jobs,
    bench_mixed,
    bench_writes,
    bench_board,
    bench_photos,
    bench_photo_memory,
    bench_visits,
    bench_visit_actions,
    bench_parts,
    bench_offline,
    bench_reports,
]


def main() -> int:
    """Every benchmark, or those named (``python -m bench bench_jobs bench_photos``)."""
    selected = sys.argv[1:]
    machine("start")
    for module in BENCHMARKS:
        if not selected or module.__name__.split(".")[-1] in selected:
            module.run()
    machine("end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
