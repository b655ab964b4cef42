"""CLI runs on a virtual clock: Google's real quotas, paced in virtual time, no scaling."""

from __future__ import annotations

import csv
import io
import sqlite3

from localcx import config
from localcx.clock import FakeClock


def test_an_apply_at_googles_real_limits_paces_in_virtual_time(cli, tmp_path):
    cli.clock = FakeClock()
    assert cli("init", "--sandbox", "--stores", "120").exit_code == 0  # 300/min, 10 edits/min: Google's
    assert cli("locations", "sync").exit_code == 0
    exported = cli("locations", "export", "-")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    path = tmp_path / "w.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["store_code", "website"])
        writer.writeheader()
        writer.writerows({"store_code": r["store_code"], "website": f"https://x.example/{i}"} for i, r in enumerate(rows))
    started = cli.clock.now()
    result = cli("profiles", "apply", str(path), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    spent = cli.clock.now() - started
    # ~125 requests at 291 a minute need ~25 s of Google's time: slept virtually, not really.
    assert 20 < spent < 60 and cli.clock.slept >= 20
    ws = config.open_workspace("default")
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("select count(*) from api_calls where status = 429").fetchone() == (0,)
        assert conn.execute("select count(*) from edits where status = 'done'").fetchone() == (120,)
