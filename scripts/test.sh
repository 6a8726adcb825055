#!/usr/bin/env bash
# Run the whole seawall test suite on this machine: installs what the tests need (Debian's
# docker.io engine, busybox-static, gcc), starts dockerd when no engine answers, creates the
# virtualenv, then runs lint, types, import contracts and pytest (engine tests included).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dockerd >/dev/null || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v ip >/dev/null || need+=(iproute2)
# Image and inventory tests: real trees and tools to build fixtures, and a local registry.
for tool in debootstrap:debootstrap skopeo:skopeo rpmbuild:rpm db5.3_load:db5.3-util \
            docker-registry:docker-registry go:golang-go objcopy:binutils zstd:zstd \
            javac:default-jdk-headless openssl:openssl curl:curl useradd:passwd \
            runuser:util-linux; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
[ -d /usr/share/gocode/src/golang.org/x/text ] || need+=(golang-golang-x-text-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The engine: reuse a running one, else start Debian's dockerd and wait for its socket.
if ! docker -H unix:///var/run/docker.sock version >/dev/null 2>&1; then
  echo "== starting dockerd"
  nohup dockerd >/tmp/seawall-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker -H unix:///var/run/docker.sock version >/dev/null 2>&1 && break
    sleep 1
  done
  docker -H unix:///var/run/docker.sock version >/dev/null 2>&1 || {
    echo "dockerd did not start; its log:"; tail -n 30 /tmp/seawall-dockerd.log; exit 1; }
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q -e '.[dev]'

echo "== ruff";  .venv/bin/ruff check src tests benchmarks
echo "== ruff format"; .venv/bin/ruff format --check src tests benchmarks
echo "== mypy";  .venv/bin/mypy src
echo "== import contracts"; .venv/bin/lint-imports
echo "== pytest"
set +e
SEAWALL_REQUIRE_ENGINE=1 .venv/bin/python -m pytest "$@"
rc=$?
set -e
# pytest exit 5 means no test ran: that is a failure here, never a pass.
if [ "$rc" -eq 5 ]; then echo "no tests were collected"; exit 1; fi
exit "$rc"
