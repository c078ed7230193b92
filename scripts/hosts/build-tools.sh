#!/usr/bin/env bash
# Builds the real hosts that `npm run test:hosts` runs, from source with Go, into .tools/bin/
# (git-ignored): the Pulumi CLI and its dynamic-provider plugin, and nektos/act.
#
# Idempotent: a tool already built at its pinned version is kept. The builds go through Go's module
# and build caches (`go env GOMODCACHE GOCACHE`), so on a machine that built them before a fresh
# clone gets them in seconds. Needs Go (1.25 or later) and the Go module proxy.
#
#   bash scripts/hosts/build-tools.sh          build what is missing
#   FORCE=1 bash scripts/hosts/build-tools.sh  build everything again
set -euo pipefail
cd "$(dirname "$0")/../.."

PULUMI_VERSION=v3.248.0 # the version of the @pulumi/pulumi this repository pins
ACT_VERSION=v0.2.87
# pulumi-language-nodejs has no tags of its own: it would be the pseudo-version of the commit the
# pkg/v3.248.0 tag is on (dc7edd58bc13179f81b80983aab4eb7f74a01b41).
LANGUAGE_HOST_MODULE=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
LANGUAGE_HOST_VERSION=v3.0.0-20260624180030-dc7edd58bc13

BIN="$PWD/.tools/bin"
WRAPPER="$PWD/scripts/hosts/pulumi-tools"
mkdir -p "$BIN"

# Go is needed only for what is missing.
need_go() {
  if ! command -v go > /dev/null; then
    echo "build-tools: Go is not installed and $1 is missing: install Go 1.25 or later, or put (links" \
      "to) pulumi $PULUMI_VERSION, pulumi-resource-pulumi-nodejs and act $ACT_VERSION in $BIN." >&2
    exit 1
  fi
}

export CGO_ENABLED=0 GOFLAGS=-mod=readonly GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

seconds() { date +%s; }

# Whether $BIN/NAME is there and answers ARG with TEXT (unless FORCE asks for a rebuild).
built() { [ -z "${FORCE:-}" ] && [ -x "$BIN/$1" ] && [ "$("$BIN/$1" "$2" 2> /dev/null)" = "$3" ]; }

# --- Pulumi CLI -------------------------------------------------------------------------------
if built pulumi version "$PULUMI_VERSION"; then
  echo "build-tools: pulumi $PULUMI_VERSION is built"
else
  need_go pulumi
  started=$(seconds)
  echo "build-tools: building pulumi $PULUMI_VERSION (a few minutes the first time)"
  # pkg/v3's go.mod has replace lines, so `go install …/cmd/pulumi@version` is refused: build it
  # from our wrapper module. The version ldflag is what the Automation API checks.
  (cd "$WRAPPER" && go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$BIN/pulumi.tmp" "$BIN/pulumi"
  echo "build-tools: pulumi $("$BIN/pulumi" version) built in $(($(seconds) - started))s"
fi

# The dynamic-provider plugin is a shell script shipped in the sdk/v3 module; the engine looks for it
# next to the pulumi binary.
if command -v go > /dev/null; then
  (cd "$WRAPPER" && go mod download github.com/pulumi/pulumi/sdk/v3)
  SDK_DIR=$(cd "$WRAPPER" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
  PLUGIN="$SDK_DIR/nodejs/dist/pulumi-resource-pulumi-nodejs"
  if ! cmp -s "$PLUGIN" "$BIN/pulumi-resource-pulumi-nodejs"; then
    install -m 0755 "$PLUGIN" "$BIN/pulumi-resource-pulumi-nodejs"
    echo "build-tools: copied pulumi-resource-pulumi-nodejs from $SDK_DIR"
  fi
elif [ ! -x "$BIN/pulumi-resource-pulumi-nodejs" ]; then
  need_go pulumi-resource-pulumi-nodejs
fi

# --- pulumi-language-nodejs (optional) ----------------------------------------------------------
# Without it, the suites run Pulumi programs through the Automation API's inline programs, which
# serve the program to the CLI themselves (--client): the engine, the plugin and the state are the
# real ones. The module proxy this was written against refuses this module at every version
# ("403 This module version is not available"), so it is only looked for, not required.
if [ -x "$BIN/pulumi-language-nodejs" ]; then
  echo "build-tools: pulumi-language-nodejs is present"
elif ! command -v go > /dev/null; then
  :
elif GOFLAGS=-mod=mod go list -m -json "$LANGUAGE_HOST_MODULE@$LANGUAGE_HOST_VERSION" > /dev/null 2>&1; then
  echo "build-tools: note: $LANGUAGE_HOST_MODULE@$LANGUAGE_HOST_VERSION is now available from the" \
    "module proxy; the suites do not need it (they use inline programs)"
else
  echo "build-tools: pulumi-language-nodejs is not available from the Go module proxy; the suites" \
    "use the Automation API's inline programs"
fi

# --- act -------------------------------------------------------------------------------------
if built act --version "act version ${ACT_VERSION#v}"; then
  echo "build-tools: act $ACT_VERSION is built"
else
  need_go act
  started=$(seconds)
  echo "build-tools: building act $ACT_VERSION (a minute or two the first time)"
  # act's go.mod has had no replace lines since v0.2.45: go install builds it as published.
  GOBIN="$BIN" GOFLAGS= go install -trimpath "github.com/nektos/act@$ACT_VERSION"
  echo "build-tools: $("$BIN/act" --version) built in $(($(seconds) - started))s"
fi
