#!/usr/bin/env bash
# Installs the Debian packages sipdocs needs, if any is missing. Without root, it uses sudo
# when it can, and otherwise prints the command for an administrator and stops.
set -euo pipefail

# WeasyPrint (libharfbuzz-subset0 makes it about 5x faster); Noto Sans for Latin, Arabic and
# Ethiopic text, named explicitly in the CSS; poppler-utils for the PDF checks and tests;
# cairo, through which CairoSVG draws an SVG logo as the PNG a DOCX holds.
packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-core
  poppler-utils
  libcairo2
  # The easy-read copy read aloud: espeak-ng speaks it, lame makes it a small MP3.
  espeak-ng lame
)
# `make test` also converts DOCX output to PDF with a real word processor, and runs axe-core
# (from npm) on the HTML in headless Chromium. A Node.js that brings its own npm (NodeSource's)
# conflicts with Debian's npm, so nodejs and npm come from Debian only when there is no npm.
if [ "${SIPDOCS_TEST_DEPS:-}" = 1 ]; then
  packages+=(libreoffice-writer-nogui chromium)
  command -v npm >/dev/null || packages+=(nodejs npm)
fi
python=${PYTHON:-python3}
if ! "$python" -c "import ensurepip, venv" 2>/dev/null; then
  packages+=(python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${command[@]}"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive "${command[@]}"
else
  echo "sipdocs needs these Debian packages: ${missing[*]}" >&2
  echo "Ask an administrator to run: sudo ${command[*]}" >&2
  exit 1
fi
