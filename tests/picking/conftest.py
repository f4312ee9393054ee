"""The packing world's central store and station, for picking."""

from tests.packing.conftest import bench, bench_home, central

__all__ = ["bench", "bench_home", "central"]
