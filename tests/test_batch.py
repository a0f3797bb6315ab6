"""offercheck batch: reading (dialects, encodings, bad rows), writing (CSV/JSONL, formula-safe),
order with several workers, resume after an interruption, clusters, stdin and .gz, the library's
check_rows, and Dask (skipped when dask is not installed). Every run is offline or fake-online.

Most runs use `--select C,D` (contact and domain rules): they exercise the batch machinery and
its quoting without depending on the language rules' matching.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import offercheck
from offercheck.batch import runner as batch_runner
from offercheck.batch.reading import Columns, open_rows, sniff_delimiter, sniff_encoding
from offercheck.batch.work import text_keys
from offercheck.cli import app
from offercheck.cli_batch import ROWS_FAILED

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
WALLET = "TXk2d3m4b5n6p7q8r9s1t2u3v4w5x6y7z8"
OFFLINE = ["--offline", "--select", "C,D", "--workers", "1", "--no-progress"]


def run_batch(*args: str, input: str | bytes | None = None):
    result = CliRunner().invoke(app, ["batch", *args], input=input)
    return result


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- round trips -------------------------------------------------------------------------------


def test_csv_to_jsonl_round_trip(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "listings.csv"), "-o", str(out), "--id-column", "job_id", *OFFLINE)
    assert result.exit_code == 0, result.output
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4", "a5"], "one output row per input row, in order"
    assert [r["row"] for r in rows] == [1, 2, 3, 4, 5]
    first = rows[0]
    assert first["level"] in ("medium", "high", "critical") and "C107" in first["rule_ids"], first
    assert any(f["quote"] == WALLET for f in first["findings"]), "the exact words are quoted"
    assert all(r["error"] is None for r in rows)
    assert "5 rows checked" in result.stderr and "text from title, description" in result.stderr


def test_jsonl_to_csv_round_trip_with_bad_lines(tmp_path):
    out = tmp_path / "out.csv"
    result = run_batch(str(FIXTURES / "export.jsonl"), "-o", str(out), "--text-field", "body", "--url-field", "link",
                       "--id-field", "uid", *OFFLINE)
    assert result.exit_code == ROWS_FAILED, result.output
    rows = read_csv(out)
    assert [r["id"] for r in rows] == ["m1", "m2", "3", "4", "m5", "m6"], "bad lines keep their place"
    assert "not valid JSON" in rows[2]["error"] and "not an object" in rows[3]["error"]
    assert "no text" in rows[4]["error"]
    assert rows[0]["rule_ids"].split()[0] == "C107" and f'"{WALLET}"' in rows[0]["quotes"]
    assert rows[1]["error"] == "" and rows[1]["level"] == "low"


def test_csv_output_cells_cannot_start_a_formula(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text\n=1+1,"=HYPERLINK(""http://x"") Send 50 USDT to ' + WALLET + '"\n'
                      "@cmd,+44 7911 123456 call now\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run_batch(str(source), "-o", str(out), *OFFLINE).exit_code == 0
    with open(out, encoding="utf-8", newline="") as handle:
        cells = [cell for record in csv.reader(handle) for cell in record]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "|", "%")], cells
    assert "'=1+1" in cells and "'@cmd" in cells, "ids are neutralised, not dropped"
    jsonl = tmp_path / "out.jsonl"
    assert run_batch(str(source), "-o", str(jsonl), *OFFLINE).exit_code == 0
    assert [r["id"] for r in read_jsonl(jsonl)] == ["=1+1", "@cmd"], "JSONL is lossless"


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "delimiter"), [("semicolon.csv", ";"), ("tabs.tsv", "\t"), ("listings.csv", ",")])
def test_dialect_is_sniffed(name, delimiter):
    with open_rows(str(FIXTURES / name)) as opened:
        rows = list(opened.rows)
    assert opened.delimiter == delimiter
    assert all(not r.error for r in rows) and len(rows) >= 2, rows


def test_semicolon_file_with_delimiter_inside_quotes_and_country_column(tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_batch(str(FIXTURES / "semicolon.csv"), "-o", str(out), *OFFLINE).exit_code == 0
    rows = read_jsonl(out)
    assert "C107" in rows[0]["rule_ids"] and rows[1]["level"] == "low"


@pytest.mark.parametrize(("header", "expected"), [("a,b;c", ","), ("a;b;c", ";"), ('"x;y",b,c', ","), ("a\tb", "\t"), ("text", ",")])
def test_sniff_delimiter(header, expected):
    assert sniff_delimiter(header) == expected


def test_embedded_newlines_stay_in_one_row():
    with open_rows(str(FIXTURES / "listings.csv"), columns=Columns(id="job_id")) as opened:
        rows = list(opened.rows)
    assert [r.id for r in rows] == ["a1", "a2", "a3", "a4", "a5"]
    assert "apply with a CV\nat the counter." in rows[3].text and rows[3].text.startswith("title:\nShop assistant")
    assert rows[0].url == "https://careers-northwind.top/apply"


def test_bom_is_removed_from_the_header_and_text():
    with open_rows(str(FIXTURES / "bom.csv")) as opened:
        rows = list(opened.rows)
    assert opened.encoding == "utf-8-sig" and opened.text_columns == ("text",)
    assert rows[0].id == "1" and rows[0].text.startswith("Café")


def test_latin1_input_is_guessed_and_said(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "latin1.csv"), "-o", str(out), *OFFLINE)
    assert result.exit_code == 0, result.output
    assert "cp1252 (guessed" in result.stderr
    with open_rows(str(FIXTURES / "latin1.csv")) as opened:
        assert [r.text for r in opened.rows][0] == "Café job in Lyon, résumé at the bar"


def test_bytes_that_are_not_the_given_encoding_make_an_error_row(tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_bytes(b"id,text\n1,good text here\n2,bad \xff byte\n3,more good text\n")
    with open_rows(str(source), encoding="utf-8") as opened:
        rows = list(opened.rows)
    assert [bool(r.error) for r in rows] == [False, True, False]
    assert "not valid utf-8 (byte 0xff" in rows[1].error


@pytest.mark.parametrize(("sample", "expected"), [
    (b"id,text\n1,plain", "utf-8"), ("id,text\n1,caf\u00e9".encode(), "utf-8"),
    (b"id,text\n1,caf\xe9", "cp1252"), (b"\xef\xbb\xbfid", "utf-8-sig"), (b"\xff\xfei\x00d\x00", "utf-16"),
])
def test_sniff_encoding(sample, expected):
    assert sniff_encoding(sample, "x")[0] == expected


def test_ragged_rows(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "ragged.csv"), "-o", str(out), *OFFLINE)
    assert result.exit_code == ROWS_FAILED
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert "has 5 fields but the header has 3" in rows[1]["error"], "extra cells: the columns cannot be trusted"
    assert rows[2]["error"] is None and rows[2]["level"] == "low", "a short row is read, missing cells as empty"
    assert rows[0]["error"] is None and rows[3]["error"] is None


def test_empty_rows_are_error_rows_and_blank_lines_are_not_rows(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "empty-row.csv"), "-o", str(out), *OFFLINE)
    assert result.exit_code == ROWS_FAILED, "exit status says rows failed"
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["1", "2", "3", "3"] and [r["row"] for r in rows] == [1, 2, 3, 4]
    assert [bool(r["error"]) for r in rows] == [False, True, True, False]
    assert "2 errors" in result.stderr


def test_a_5_mb_cell_is_an_error_row_and_the_run_goes_on(tmp_path):
    source = tmp_path / "big.csv"
    source.write_text("id,text\n1,short offer text here\n2," + "x" * 5_000_000 + "\n3,another offer text\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_batch(str(source), "-o", str(out), *OFFLINE)
    assert result.exit_code == ROWS_FAILED
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert "5,000,000 bytes is larger than the limit of 1,000,000" in rows[1]["error"]
    assert rows[2]["error"] is None


def test_no_text_column_is_a_usage_error(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_batch(str(source), *OFFLINE)
    assert result.exit_code == 2 and "no text column found" in result.stderr and "--text-columns" in result.stderr
    result = run_batch(str(source), "--text-columns", "nope", *OFFLINE)
    assert result.exit_code == 2 and "no column 'nope'" in result.stderr


def test_gz_input(tmp_path):
    packed = tmp_path / "listings.csv.gz"
    packed.write_bytes(gzip.compress((FIXTURES / "listings.csv").read_bytes()))
    out = tmp_path / "out.jsonl"
    assert run_batch(str(packed), "-o", str(out), "--id-column", "job_id", *OFFLINE).exit_code == 0
    assert [r["id"] for r in read_jsonl(out)] == ["a1", "a2", "a3", "a4", "a5"]


def test_stdin_input_and_stdout_output():
    data = (FIXTURES / "export.jsonl").read_bytes()
    result = run_batch("-", "--text-field", "body", "--id-field", "uid", *OFFLINE, input=data)
    assert result.exit_code == ROWS_FAILED, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["m1", "m2", "3", "4", "m5", "m6"]
    gz = run_batch("-", "--id-column", "job_id", *OFFLINE, input=gzip.compress((FIXTURES / "listings.csv").read_bytes()))
    assert gz.exit_code == 0 and len(gz.stdout.splitlines()) == 5, "gzip on stdin is recognised by its magic bytes"


# --- workers, progress, resume ---------------------------------------------------------------


def _many(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "many.csv"
    lines = ["id,text"]
    for i in range(count):
        text = f"Send {i} USDT to {WALLET}" if i % 7 == 0 else f"Cashier number {i} wanted in town {i * 31 % 97}"
        lines.append(f"r{i},{text}")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def test_order_is_preserved_with_several_workers(tmp_path):
    source = _many(tmp_path, 120)
    out = tmp_path / "out.jsonl"
    result = run_batch(str(source), "-o", str(out), "--offline", "--select", "C,D", "--workers", "3", "--no-progress")
    assert result.exit_code == 0, result.output
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(120)]
    assert [("C107" in r["rule_ids"]) for r in rows] == [i % 7 == 0 for i in range(120)], "each result is its own row's"


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_bar_only_on_a_terminal(tmp_path):
    assert batch_runner.progress_wanted(None, _Stream(False)) is False
    assert batch_runner.progress_wanted(None, _Stream(True)) is True
    assert batch_runner.progress_wanted(False, _Stream(True)) is False
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "semicolon.csv"), "-o", str(out), "--offline", "--select", "C,D", "--workers", "1")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\r" not in result.stderr and "rows/s" in result.stderr, result.stderr


def test_resume_after_an_interrupted_run_loses_and_duplicates_nothing(tmp_path, monkeypatch):
    source = _many(tmp_path, 60)
    out = tmp_path / "out.csv"
    real_check_row = batch_runner.check_row
    calls = {"n": 0}

    def interrupt_after_25(row, settings, lookup=None):
        calls["n"] += 1
        if calls["n"] == 25:
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C does: the runner stops after this row
        return real_check_row(row, settings, lookup)

    monkeypatch.setattr(batch_runner, "check_row", interrupt_after_25)
    monkeypatch.setattr(batch_runner, "FLUSH_SECONDS", 0.0)
    first = run_batch(str(source), "-o", str(out), *OFFLINE)
    assert first.exit_code == 130, first.output
    assert "Resume with: offercheck batch" in first.stderr and "--resume" in first.stderr
    partial = read_csv(out)
    assert 0 < len(partial) < 60 and [r["id"] for r in partial] == [f"r{i}" for i in range(len(partial))]
    with open(out, "ab") as handle:  # and a crash mid-line on top
        handle.write(b"999,half a ro")
    monkeypatch.setattr(batch_runner, "check_row", real_check_row)
    second = run_batch(str(source), "-o", str(out), "--resume", *OFFLINE)
    assert second.exit_code == 0, second.output
    assert f"{len(partial)} rows were already in the output" in second.stderr
    rows = read_csv(out)
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(60)], "no row lost or duplicated"
    wallet_rows = [r for r in rows if "C107" in r["rule_ids"]]
    assert len({r["cluster_id"] for r in wallet_rows}) == 1 and wallet_rows[0]["cluster_size"] == str(len(wallet_rows)), \
        "clusters span both runs"
    assert not list(tmp_path.glob("*.offercheck-keys*")), "the keys file is removed when the run completes"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_on_a_real_process_leaves_a_valid_file(tmp_path):
    source = _many(tmp_path, 30000)  # long enough (seconds) that the signal lands mid-run
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "offercheck", "batch", str(source), "-o", str(out), "--offline",
                                "--workers", "2", "--no-progress"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 2000):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    if process.returncode == 0 or (process.returncode == -signal.SIGINT and "interrupted" not in stderr):
        pytest.skip("the run finished before the interrupt")
    assert process.returncode == 130, stderr
    assert "--resume" in stderr
    rows = read_jsonl(out)  # every line is whole JSON
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(len(rows))]


# --- clusters ----------------------------------------------------------------------------------


def test_rows_sharing_a_phone_share_a_cluster(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "listings.csv"), "-o", str(out), "--id-column", "job_id", *OFFLINE)
    rows = {r["id"]: r for r in read_jsonl(out)}
    assert rows["a1"]["cluster_id"] == rows["a3"]["cluster_id"] == 1, "a1 and a3 give the same phone"
    assert rows["a1"]["cluster_size"] == 2 and rows["a2"]["cluster_id"] is None and rows["a2"]["cluster_size"] == 1
    assert "phone +447911123456 (2 rows)" in result.stderr


def test_near_identical_texts_share_a_cluster(tmp_path):
    base = ("Hiring now: friendly staff for our busy seaside hotel, shifts in the kitchen and at reception, "
            "accommodation and meals provided, no experience needed, interviews this week in {city}, apply today")
    source = tmp_path / "in.jsonl"
    records = [{"id": c, "text": base.format(city=c)} for c in ("Leeds", "York", "Hull")]
    records.append({"id": "other", "text": "A completely different posting about a software developer role in a bank, hybrid work"})
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run_batch(str(source), "-o", str(out), *OFFLINE).exit_code == 0
    rows = read_jsonl(out)
    assert [r["cluster_size"] for r in rows] == [3, 3, 3, 1]
    assert set(text_keys(base.format(city="Leeds"))) & set(text_keys(base.format(city="York")))
    assert not text_keys("too short to compare")


def test_minhash_keys_are_stable_and_the_fast_path_is_exact():
    """Cluster keys must not change between versions (a resumed run mixes old and new keys), and
    the uint64 MinHash must give exactly the big-integer values, down to the edge shingles."""
    import random

    from offercheck.batch import work

    text = ("Hiring now: friendly staff for our busy seaside hotel, shifts in the kitchen and at reception, "
            "accommodation and meals provided, no experience needed, interviews this week in Leeds, apply today")
    assert text_keys(text) == ["text:0:e66fc1e0cc5d4d24", "text:1:49f57fa0dedd162a",
                               "text:2:9f333f899b70ccf3", "text:3:d2f3bd23ff846f55"]
    if work._np is None:  # text_keys above has imported it, if it is installed
        pytest.skip("numpy is not installed: only the pure-Python MinHash runs")
    rng = random.Random(7)
    sets = [{0}, {0xFFFFFFFF}, {0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF}]
    sets += [{rng.getrandbits(32) for _ in range(rng.randint(1, 800))} for _ in range(300)]
    for shingles in sets:
        fast = work._minhash_numpy(shingles)
        assert fast == work._minhash_python(shingles)
        assert all(type(value) is int for value in fast)  # repr() of the band must not change
    # Residues next to 0 and P (where a missed reduction would show), with any a and b below P.
    np, prime = work._np, work._PRIME
    coeffs, hs = [], [0, 1, 5, 0xFFFFFFFF, rng.getrandbits(32), rng.getrandbits(32)]
    for _ in range(200):
        a, h0 = rng.randrange(1, prime), rng.choice(hs)
        for k in (0, 1, 2, 3, 4, prime - 1, prime - 4):
            coeffs.append((a, (k - a * h0) % prime))
        coeffs.append((prime - 1, prime - 1))
    a1 = np.array([a >> 32 for a, _ in coeffs], dtype=np.uint64)[:, None]
    a0 = np.array([a & 0xFFFFFFFF for a, _ in coeffs], dtype=np.uint64)[:, None]
    b = np.array([b for _, b in coeffs], dtype=np.uint64)[:, None]
    for subset in (hs, hs[:1], hs[2:4]):
        got = work._affine_mod_min(np.array(subset, dtype=np.uint64), a1, a0, b).tolist()
        assert got == [min((a * h + b) % prime for h in subset) for a, b in coeffs]


def test_undecodable_byte_error_names_its_place():
    from offercheck.batch.reading import _bad_bytes

    assert _bad_bytes("plain ascii", "utf-8") == "" and _bad_bytes("caf\u00e9 \ud800", "utf-8") == ""
    assert _bad_bytes("caf\u00e9 \udcff x \udc80", "utf-8") == (
        "not valid utf-8 (byte 0xff at character 5 of a cell); give the file's encoding with --encoding, e.g. --encoding latin-1")


# --- library, lookups, Dask ----------------------------------------------------------------------


def test_check_rows_library_entry_point():
    rows = list(offercheck.check_rows([{"text": f"Send 5 USDT to {WALLET}", "id": "x"}, "plain cashier job", {"text": ""}],
                                      select=["C", "D"]))
    assert [r["id"] for r in rows] == ["x", "2", "3"]
    assert "C107" in rows[0]["rule_ids"] and rows[1]["error"] is None and "no text" in rows[2]["error"]


def test_online_lookups_go_through_one_memoised_service(tmp_path):
    from offercheck.batch.lookup_service import LookupService
    from offercheck.lookups import DomainRecord
    from offercheck.model import Status

    asked: list[list[str]] = []

    def fake_lookup_domains(domains, _settings):
        asked.append(list(domains))
        return {d: DomainRecord(d, d, Status.UNKNOWN, reason="fake") for d in domains}

    import offercheck.lookups as lookups

    original = lookups.lookup_domains
    lookups.lookup_domains = fake_lookup_domains
    try:
        service = LookupService(settings=type("S", (), {"timeout": 1.0})(), parallel=2)
        rows = list(offercheck.check_rows([f"apply at https://careers-northwind.top/{i} now" for i in range(4)],
                                          offline=False, lookup=service.lookup, select=["C", "D"]))
    finally:
        lookups.lookup_domains = original
    assert asked == [["careers-northwind.top"]], "each domain is looked up once per run"
    assert all(r["error"] is None for r in rows)


def test_dask_bag_over_partitions():
    dask_bag = pytest.importorskip("dask.bag")
    records = [{"id": str(i), "text": f"Send {i} USDT to {WALLET}" if i % 2 else f"Cashier job {i}"} for i in range(10)]
    bag = dask_bag.from_sequence(records, npartitions=3)
    rows = bag.map_partitions(lambda part: list(offercheck.check_rows(part, select=["C", "D"]))).compute(scheduler="sync")
    assert sorted(r["id"] for r in rows) == [str(i) for i in range(10)]
    assert {r["id"] for r in rows if "C107" in r["rule_ids"]} == {str(i) for i in range(1, 10, 2)}


def test_resuming_a_finished_run_keeps_it_as_it_was(tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_batch(str(FIXTURES / "listings.csv"), "-o", str(out), "--id-column", "job_id", *OFFLINE).exit_code == 0
    before = out.read_text(encoding="utf-8")
    again = run_batch(str(FIXTURES / "listings.csv"), "-o", str(out), "--id-column", "job_id", "--resume", *OFFLINE)
    assert again.exit_code == 0 and "5 rows were already in the output" in again.stderr
    assert out.read_text(encoding="utf-8") == before, "no row added, cluster columns kept"


def test_a_check_that_raises_becomes_an_error_row(tmp_path, monkeypatch):
    import offercheck.api

    real = offercheck.api.check

    def flaky(offer, **options):
        if "Driver" in offer.text:
            raise RuntimeError("boom")
        return real(offer, **options)

    monkeypatch.setattr(offercheck.api, "check", flaky)
    out = tmp_path / "out.jsonl"
    result = run_batch(str(FIXTURES / "listings.csv"), "-o", str(out), "--id-column", "job_id", *OFFLINE)
    assert result.exit_code == ROWS_FAILED
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4", "a5"]
    assert rows[2]["error"] == "row 3: internal error: RuntimeError: boom" and rows[2]["level"] is None
    assert all(r["error"] is None for i, r in enumerate(rows) if i != 2)
