#!/usr/bin/env bash
# Generates docs/ with tfplugindocs from the schema descriptions, examples/ and templates/,
# offline: the provider is built from this tree and its schema read with
# `terraform providers schema -json` through a dev_overrides CLI configuration, so neither
# tfplugindocs nor terraform downloads anything. Works with OpenTofu too (TERRAFORM=tofu).
#
#   scripts/docs.sh            regenerate docs/
#   scripts/docs.sh validate   also run `tfplugindocs validate`
#   scripts/docs.sh check      regenerate, validate, and fail when docs/ differs from git
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-generate}"
TFPLUGINDOCS_VERSION="${TFPLUGINDOCS_VERSION:-v0.25.0}"
CACHE_ROOT="${KUBEFOUNDRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefoundry}"
bindir="$CACHE_ROOT/tfplugindocs/$TFPLUGINDOCS_VERSION"
tfplugindocs="$bindir/tfplugindocs"
if [ ! -x "$tfplugindocs" ]; then
  mkdir -p "$bindir"
  exec 9>"$bindir/.lock"
  flock 9
  if [ ! -x "$tfplugindocs" ]; then
    echo "docs: building tfplugindocs $TFPLUGINDOCS_VERSION from the Go module proxy" >&2
    GOBIN="$bindir" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@$TFPLUGINDOCS_VERSION"
  fi
  exec 9>&-
fi

tf="${TERRAFORM:-}"
if [ -z "$tf" ]; then
  tf=$(command -v terraform || true)
  [ -n "$tf" ] || tf=$(command -v tofu || bash scripts/tofu-build.sh)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/cfg"
go build -o "$work/bin/terraform-provider-kubefoundry" .
cat >"$work/cli.tfrc" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/kubefoundry/kubefoundry" = "$work/bin"
    "registry.opentofu.org/kubefoundry/kubefoundry" = "$work/bin"
  }
  direct {}
}
EOT
cat >"$work/cfg/main.tf" <<'EOT'
terraform {
  required_providers {
    kubefoundry = {
      source = "kubefoundry/kubefoundry"
    }
  }
}
EOT
(cd "$work/cfg" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 "$tf" providers schema -json >"$work/raw.json" 2>"$work/schema.err") || {
  cat "$work/schema.err" >&2
  exit 1
}
# tfplugindocs looks the schema up by the bare provider name; Terraform before 1.12 and
# OpenTofu leave out resource identity schemas, which tools/docschema adds from the provider.
go run ./tools/docschema "$work/raw.json" "$work/schema.json"

# tfplugindocs logs every file it touches: keep that for failures.
quiet() { "$@" >"$work/tfplugindocs.log" 2>&1 || { cat "$work/tfplugindocs.log" >&2; return 1; }; }
quiet "$tfplugindocs" generate --provider-dir . --provider-name kubefoundry --rendered-provider-name KubeFoundry \
  --providers-schema "$work/schema.json"
echo "docs: generated docs/" >&2

if [ "$mode" = validate ] || [ "$mode" = check ]; then
  quiet "$tfplugindocs" validate --provider-dir . --provider-name kubefoundry --providers-schema "$work/schema.json"
  echo "docs: tfplugindocs validate passed" >&2
fi

if [ "$mode" = check ]; then
  if ! git diff --exit-code --stat -- docs/ || [ -n "$(git ls-files --others --exclude-standard -- docs/)" ]; then
    git --no-pager diff -- docs/ | head -200 >&2
    git ls-files --others --exclude-standard -- docs/ >&2
    echo "docs: docs/ is out of date with the schemas, examples/ or templates/; run scripts/docs.sh and commit docs/" >&2
    exit 1
  fi
fi
