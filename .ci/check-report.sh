#!/usr/bin/env bash
# Opens a cfq HTML report in headless Chromium (Debian's chromium package) and checks that it
# rendered: no console output at all (the page logs only when a plot is missing or empty),
# every plot present and drawn (the page's own check, read back from the rendered DOM), no
# reference to anything outside the file, and a non-empty screenshot.
# Usage: .ci/check-report.sh REPORT.html SCREENSHOT.png [MIN_PLOTS]
set -euo pipefail
report="$1"
shot="$2"
min_plots="${3:-1}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "check-report: chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi
if grep -Eq '(src|href)="(https?:)?//' "$report"; then
  echo "check-report: $report references a network resource:" >&2
  grep -Eo '(src|href)="(https?:)?//[^"]*"' "$report" | head -5 >&2
  exit 1
fi
url="file://$(realpath "$report")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --log-level=0)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
timeout 180 "$browser" "${flags[@]}" --window-size=1600,2300 --dump-dom "$url" >"$work/dom.html" 2>"$work/log.txt"
if grep -q "CONSOLE" "$work/log.txt"; then
  echo "check-report: the page wrote to the console:" >&2
  grep "CONSOLE" "$work/log.txt" >&2
  exit 1
fi
plots="$(grep -o 'data-plots="[0-9]*"' "$work/dom.html" | head -1 | grep -o '[0-9][0-9]*' || true)"
bad="$(grep -o 'data-plots-bad="[^"]*"' "$work/dom.html" | head -1 | sed 's/^data-plots-bad="//; s/"$//' || true)"
if [ -z "$plots" ]; then
  echo "check-report: the page's plot check did not run (no data-plots attribute in the rendered DOM)" >&2
  exit 1
fi
if [ "$plots" -lt "$min_plots" ] || [ -n "$bad" ]; then
  echo "check-report: $plots plots rendered (need $min_plots); empty or missing: ${bad:-none}" >&2
  exit 1
fi
timeout 180 "$browser" "${flags[@]}" --window-size=1600,2300 --screenshot="$shot" "$url" 2>>"$work/log.txt" >/dev/null
if [ ! -s "$shot" ]; then
  echo "check-report: no screenshot was written to $shot" >&2
  exit 1
fi
echo "check-report: $plots plots drawn, no console output, self-contained; screenshot $shot"
