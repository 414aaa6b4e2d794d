#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing:
# chromium + chromium-driver (browser tests, kaleido export), fonts-dejavu-core (fallback glyphs),
# python3-venv (the project's virtualenv), wrk (HTTP load generator of benchmarks/throughput.py),
# nginx (the production front, deploy/nginx.conf; tests/test_nginx_front.py, reliability/front.py),
# redis-server (the broker of the Celery export mode; reliability/celery_mode.py starts its own).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# Debian puts nginx in /usr/sbin, which is not on every user's PATH
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# python3 -m venv needs ensurepip, which Debian ships separately
python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
