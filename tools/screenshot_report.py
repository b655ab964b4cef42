"""Screenshots of the client report in headless Chromium, for the README.

Runs `localcx demo` in a private LOCALCX_HOME, builds the demo's report (English for the
desktop shot, Japanese for the phone one, so the CJK font stack shows), and has Chromium
draw each at a desktop (1280×2000) and a phone (390×2400) width into docs/. Without
Chromium it says so and exits 0 (install it with `apt-get install chromium`; Debian's
package works, and `fonts-noto-cjk` gives it Japanese glyphs).

Usage: python tools/screenshot_report.py [--out docs]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = (("report-desktop.png", "en", "1280,2000"), ("report-phone.png", "ja", "390,2400"))


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def localcx(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOCALCX_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "localcx", *args],
        env=env,
        text=True,
        capture_output=True,
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    browser = chromium()
    if browser is None:
        print(
            "chromium is not installed: no screenshots taken (apt-get install chromium fonts-noto-cjk)",
            file=sys.stderr,
        )
        return 0
    home = Path(tempfile.mkdtemp(prefix="localcx-screenshots-"))
    localcx(home, "demo")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, lang, size in SHOTS:
        page = home / f"report-{lang}.html"
        localcx(
            home, "-w", "demo", "report", "build", "--lang", lang, "--out", str(page), "--force"
        )
        target = (args.out / name).resolve()
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--window-size={size}",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        print(f"{target} ({size.replace(',', '×')}, {lang})")
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
