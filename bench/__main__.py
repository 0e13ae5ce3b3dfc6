"""``make bench``: every benchmark, one ``name value unit`` line per figure."""

import sys

from bench import (
    bench_board,
    bench_foundation,
    bench_jobs,
    bench_offline,
    bench_parts,
    bench_photo_memory,
    bench_photos,
    bench_reports,
    bench_visit_actions,
    bench_visits,
)

BENCHMARKS = [
    bench_foundation,
    bench_jobs,
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
    selected = sys.argv[1:]
    for module in BENCHMARKS:
        if not selected or module.__name__.split(".")[-1] in selected:
            module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
