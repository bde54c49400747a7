"""Take the screenshots of docs/screenshots/: the pages a new user sees first, on a real server.

    python docs/screenshots.py [--build build] [--out docs/screenshots]

Serves the build with `mkg serve` on a free port of 127.0.0.1, opens each page in headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) and saves the top of the page as a
palette PNG, small enough to keep in the repository. Needs a build (`mkg build`).
"""

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from PIL import Image
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
# Each screenshot: file name, path on the server, what to do before taking it, and the
# greatest height kept (the top of the page is what a reader sees first).
GENE = "/gene/HGNC_11926"
DRUG = "/drug/DRUGBANK_DB06643"
PAPER = "/paper/body-2006-clin-cancer-res-12-1221"
REVIEW = "/paper/steeg-2006-nat-med-12-895"
EXAMPLE = "06-drugs-for-site-genes"


def _run_example(page: Page) -> None:
    page.select_option("#example", EXAMPLE)
    page.click("#run")
    page.wait_for_selector("#result-table")


SHOTS = (
    ("home", "/", None, 1400),
    ("query", "/sparql", None, 900),
    ("query-results", "/sparql", _run_example, 1100),
    ("search", "/search?q=RANKL", None, 900),
    ("gene", GENE, None, 1600),
    ("drug", DRUG, None, 1400),
    ("paper", PAPER, None, 1200),
    ("review", REVIEW, None, 1600),
    ("pictures", "/stats", None, 1800),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("mkg serve stopped before it answered")
        try:
            with urlopen(url + "/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"mkg serve did not answer in {seconds:.0f} s")


def _exists(url: str) -> bool:
    try:
        with urlopen(url, timeout=10) as response:
            return bool(response.status == 200)
    except (URLError, OSError):
        return False


def _save(png: bytes, path: Path, height: int) -> None:
    """Save the screenshot cut to `height` pixels, as a 256-colour PNG."""
    from io import BytesIO

    image = Image.open(BytesIO(png)).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, height)))
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def take(build: Path, out: Path) -> list[Path]:
    """Serve `build`, take every screenshot into `out` and return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "server.cli", "serve", "--build", str(build)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    written = []
    try:
        _wait(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for name, path, action, height in SHOTS:
                    if not _exists(url + path):
                        print(f"skipped {name}: {path} is not on this server")
                        continue
                    page = browser.new_page(viewport=VIEWPORT)
                    page.goto(url + path)
                    if action is not None:
                        action(page)
                    target = out / f"{name}.png"
                    _save(page.screenshot(full_page=True), target, height)
                    written.append(target)
                    print(f"wrote {target}")
                    page.close()
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return written


def main() -> None:
    """Take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=REPO / "build", help="the build to serve")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    options = parser.parse_args()
    take(options.build.resolve(), options.out.resolve())


if __name__ == "__main__":
    main()
