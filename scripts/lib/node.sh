# shellcheck shell=bash
# A Node.js new enough for web/ and the tests (>= 20: `engines` in web/package.json,
# `node --test --test-concurrency`). Source this file, then:
#
#   keel_node_ensure   if `node` on PATH is older than 20 (Debian 12's own nodejs is 18),
#                      install Node $KEEL_NODE_VERSION with npm $KEEL_NPM_VERSION from the npm
#                      registry (packages node-linux-<arch> and npm, using the npm already
#                      present) into .tools/node, once; then put .tools/node/bin first on PATH
#                      (exported, so cmake, ctest and npm's scripts see the same node).
#                      A node >= 20 already on PATH is used as it is; nothing is downloaded.
#                      A second run finds .tools/node and does not touch the network.

KEEL_NODE_MIN_MAJOR=20
# The versions of the official Node 20.20.2 release (which bundles npm 10.8.2).
KEEL_NODE_VERSION=20.20.2
KEEL_NPM_VERSION=10.8.2

# Major version of the node on PATH, or 0 when there is none.
_keel_node_major() {
  local v
  v="$(node --version 2>/dev/null)" || v=""
  v="${v#v}"
  [[ "${v%%.*}" =~ ^[0-9]+$ ]] && echo "${v%%.*}" || echo 0
}

keel_node_ensure() {
  local root dir bin arch tmp major
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  dir="$root/.tools/node"
  bin="$dir/bin"

  # Already on PATH and new enough (a system Node 20+, or .tools/node put there before).
  major="$(_keel_node_major)"
  if ((major >= KEEL_NODE_MIN_MAJOR)); then
    return 0
  fi

  if [[ "$("$bin/node" --version 2>/dev/null)" != "v$KEEL_NODE_VERSION" || ! -x "$bin/npm" ]]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "node: node $(node --version 2>/dev/null || echo missing) is older than" \
        "$KEEL_NODE_MIN_MAJOR and there is no npm to fetch a newer one (run scripts/deps)" >&2
      return 1
    fi
    case "$(uname -m)" in
      x86_64 | amd64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *)
        echo "node: no node-linux package for $(uname -m); install Node >= $KEEL_NODE_MIN_MAJOR" >&2
        return 1
        ;;
    esac
    echo "node: $(node --version 2>/dev/null || echo 'no node') on PATH is older than" \
      "$KEEL_NODE_MIN_MAJOR; installing node-linux-$arch@$KEEL_NODE_VERSION and" \
      "npm@$KEEL_NPM_VERSION from the npm registry into .tools/node"
    mkdir -p "$root/.tools"
    # Install beside the final place and move it there only once it works, so an interrupted
    # download never leaves a half-installed node behind.
    tmp="$(mktemp -d "$root/.tools/node.tmp.XXXXXX")" && chmod 755 "$tmp" || return 1
    if ! npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
        --ignore-scripts --loglevel=error \
        "node-linux-$arch@$KEEL_NODE_VERSION" "npm@$KEEL_NPM_VERSION" >&2; then
      rm -rf "$tmp"
      echo "node: npm install of node-linux-$arch@$KEEL_NODE_VERSION failed" >&2
      return 1
    fi
    mkdir -p "$tmp/bin"
    ln -s "../node_modules/node-linux-$arch/bin/node" "$tmp/bin/node"
    ln -s ../node_modules/npm/bin/npm-cli.js "$tmp/bin/npm"
    ln -s ../node_modules/npm/bin/npx-cli.js "$tmp/bin/npx"
    if [[ "$("$tmp/bin/node" --version 2>/dev/null)" != "v$KEEL_NODE_VERSION" ]]; then
      rm -rf "$tmp"
      echo "node: the installed node-linux-$arch does not run" >&2
      return 1
    fi
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi

  # npm's `#!/usr/bin/env node` then runs on this node too.
  PATH="$bin:$PATH"
  export PATH
  hash -r
  echo "node: using $bin/node $(node --version), npm $(npm --version)"
}
