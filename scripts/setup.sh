#!/usr/bin/env bash
# Installs what caseload's build and tests need beyond the Rust toolchain:
# tmux for the end-to-end terminal tests. Safe to run repeatedly.
set -euo pipefail

if ! command -v tmux >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing tmux" >&2
    apt-get update -qq && apt-get install -y -qq tmux >/dev/null
  else
    echo "setup: tmux is missing; the end-to-end UI tests will be skipped (install tmux to run them)" >&2
  fi
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component" || echo "setup: could not add $component" >&2
  fi
done
