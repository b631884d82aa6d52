# Sandbox: fake Unleashed + Shopify Admin GraphQL endpoints for demos and end-to-end tests.
# Build from the repository root:  docker build -f deploy/sandbox.Dockerfile .
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8090

WORKDIR /app

# Only what the package build needs (see [tool.setuptools] in pyproject.toml).
COPY pyproject.toml ./
COPY shared ./shared
COPY sandbox ./sandbox

# Installs the project from local source with the dependency ranges declared in pyproject.toml;
# the non-root user gets a fixed numeric id so orchestrators can check runAsNonRoot.
RUN pip install --no-cache-dir --root-user-action=ignore . \
    && useradd --system --no-log-init --no-create-home --uid 10001 --user-group app

USER 10001:10001

EXPOSE 8090

HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('SANDBOX_PORT', '8090') + '/health', timeout=2)"]

CMD ["python", "-m", "sandbox"]
