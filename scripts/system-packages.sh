#!/usr/bin/env bash
# Install the Debian packages the tests need (a browser for end-to-end tests and exports, a Thai font)
# when they are missing. Never downloads a browser of its own: Debian's chromium only.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans Thai" || dpkg -s fonts-noto-core >/dev/null 2>&1 || need+=(fonts-noto-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  echo "(browser tests will be skipped until then)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages ${need[*]} and no apt-get here: install them with your system's package manager." >&2
  exit 0
fi
echo "Installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
