#!/usr/bin/env bash
# One command per job on a fresh machine:
#   ./setup.sh          set up .venv, build the index from seeds/ on first use and start the bot (policybot chat)
#   ./setup.sh test     set up .venv with test tools, then lint and run the tests
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-run}"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$py" -m venv .venv
fi
stamp=.venv/.installed
want="$(cat pyproject.toml | sha256sum | cut -c1-16)-$mode"
if [ "$mode" = test ]; then extras=".[test]"; else extras="."; fi
if [ ! -f "$stamp" ] || ! grep -qx -- "$want" "$stamp"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e "$extras"
    echo "$want" >>"$stamp"
fi
case "$mode" in
    run) shift || true; exec .venv/bin/policybot chat "$@" ;;
    test) .venv/bin/ruff check . && exec .venv/bin/python -m pytest -q ;;
    *) echo "usage: ./setup.sh [run|test]" >&2; exit 2 ;;
esac
