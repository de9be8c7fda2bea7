"""The DOM of a page after its scripts ran, as headless Chromium sees it.

usage: browser_dom.py CHROMIUM URL
Chromium's own chatter on standard error (D-Bus, GPU) is shown only when it fails.
"""
import subprocess
import sys
import tempfile


def main():
    chromium, url = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as profile:
        # --no-sandbox: CI runs the tests as root, where Chromium's sandbox refuses to start.
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--user-data-dir=" + profile, "--virtual-time-budget=2000", "--dump-dom", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if result.returncode != 0 or not result.stdout.strip():
        sys.stderr.write(result.stderr.decode(errors="replace"))
        sys.exit(f"browser_dom.py: {chromium} exited with {result.returncode} for {url}")
    sys.stdout.write(result.stdout.decode())


if __name__ == "__main__":
    main()
