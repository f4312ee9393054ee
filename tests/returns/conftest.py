"""The packing world's central store and station, for returns."""

from tests.packing.conftest import bench, bench_home, central

__all__ = ["bench", "bench_home", "central"]
