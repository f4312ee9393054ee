"""``packbench bench``: the JSON lines scripts read (figures are not asserted: no timing here)."""

import json
import os
import subprocess
import sys


def test_bench_scan_prints_the_floor_and_our_path_with_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "scan", "-n", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    floor, ours = (json.loads(line) for line in result.stdout.splitlines())
    assert floor["bench"] == "scan-floor" and floor["n"] == 300
    assert ours["bench"] == "scan" and ours["n"] == 300
    assert {"p50_ms", "p99_ms", "floor_p99_ms", "ratio_p99"} <= set(ours)
    assert ours["recognised"] > 250  # the mix is mostly codes the demo catalogue knows


def test_bench_import_prints_the_shuffled_file_next_to_the_grouped_one() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "import", "-n", "600"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    index, grouped, shuffled = (json.loads(line) for line in result.stdout.splitlines())
    assert index["bench"] == "csv-index" and index["rows"] == 600
    assert {"seconds", "floor_seconds", "ratio"} <= set(index)
    assert grouped["bench"] == "import-csv-grouped" and shuffled["bench"] == "import-csv-shuffled"
    assert {"rows_per_s", "peak_rss_mb", "ratio_time", "ratio_peak_rss"} <= set(shuffled)
    # Both files hold the same orders, and every one of them lands in the same bucket.
    assert shuffled["orders"] == grouped["orders"] == index["orders"]
    for key in ("imported", "held", "rejected"):
        assert shuffled[key] == grouped[key]
    assert grouped["rejected"] == 0


def test_bench_catalogue_prints_the_products_import_next_to_a_bare_insert() -> None:
    env = dict(os.environ)
    env.pop("PACKBENCH_BENCH_CENTRAL_URL", None)  # the embedded store only: keep it short
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "catalogue", "-n", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    floor, first, again = (json.loads(line) for line in result.stdout.splitlines())
    assert floor["bench"] == "catalogue-floor" and floor["store"] == "sqlite"
    assert (first["bench"], first["imported"], first["rejected"]) == ("import-products", 300, 0)
    assert (again["bench"], again["unchanged"]) == ("import-products-again", 300)
    assert {"seconds", "rows_per_s", "ratio_time"} <= set(first)


def test_bench_replug_times_the_scanner_and_the_scale_back_after_an_unplug() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "replug", "-n", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["bench"] for x in lines] == ["replug-scanner", "replug-scale"]
    for line in lines:
        assert line["n"] == len(line["unplugged_s"]) == 1
        assert {"median_s", "max_s", "floor_median_s", "floor_max_s"} <= set(line)
        assert line["retry_every_s"] == 0.5


def test_bench_pick_builds_a_wave_and_prints_its_lists_next_to_a_bare_document(
    tmp_path: object,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "pick", "-n", "80"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PACKBENCH_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    built, floor, pdf = (json.loads(line) for line in result.stdout.splitlines())
    assert built["bench"] == "pick-build" and built["orders"] == 80
    assert built["order_lines"] == 240 and built["lists"] == 4  # one wave, four zones
    assert built["units"] >= built["order_lines"]
    assert floor["bench"] == "pick-pdf-floor" and floor["rows"] == built["list_lines"]
    assert pdf["bench"] == "pick-pdf" and pdf["rows"] == floor["rows"]
    assert {"seconds", "cpu_s", "pages_per_s", "ratio"} <= set(pdf) and pdf["pages"] >= 4


def test_bench_connector_prints_the_pull_next_to_the_same_orders_from_a_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "connector", "-n", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    floor, pull = (json.loads(line) for line in result.stdout.splitlines())
    assert floor["bench"] == "connector-file-floor" and pull["bench"] == "connector-pull"
    for line in (floor, pull):
        assert line["orders"] == 300 and line["rejected"] == 0
        assert line["imported"] + line["held"] == 300
    assert pull["ratio"] > 0 and pull["orders_per_s"] > 0
