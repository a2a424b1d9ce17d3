# Dars: the API (and the Telegram webhook) as one container, for Railway or any platform that runs images.
#
#   docker build -t dars .
#   docker run --rm -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@host:5432/dars dars
#
# The image holds the lock file's exact runtime packages (requirements/prod.lock, hashes checked: no dev tools,
# no embedded PostgreSQL),
# runs as an unprivileged user, and serves with the production settings: `dars serve` migrates and loads the
# problem library once, then starts DARS_WORKERS uvicorn workers on 0.0.0.0:$PORT (DARS_PORT wins when set);
# SIGTERM lets requests in flight finish (DARS_SHUTDOWN_TIMEOUT_SECONDS, 8 s) and exits.

ARG PYTHON_VERSION=3.11

# ---- build: the virtual environment, from the lock ----
FROM python:${PYTHON_VERSION}-slim-bookworm AS build

RUN pip install --no-cache-dir "uv>=0.13,<0.14"

# The venv and the project live at /app in both stages: the project is installed editable (a .pth file
# pointing at /app), because Alembic's scripts and alembic.ini are found next to src/ (src/migrations.py).
ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1
WORKDIR /app
RUN python -m venv /app/.venv

# Dependencies first, in their own layer: rebuilt only when the lock changes. The same versions as
# requirements/dev.lock, which CI tests (./dev lock makes both). Then sympy's and mpmath's own test suites
# go: 37 MB (and their bytecode) that the server never imports.
COPY requirements/prod.lock requirements/prod.lock
RUN uv pip sync --python /app/.venv/bin/python --require-hashes requirements/prod.lock \
    && rm -rf /app/.venv/lib/python*/site-packages/mpmath/tests \
    && find /app/.venv/lib/python*/site-packages/sympy -type d -name tests -prune -exec rm -rf {} +

COPY pyproject.toml README.md alembic.ini ./
COPY alembic ./alembic
COPY src ./src
RUN uv pip install --python /app/.venv/bin/python --no-deps -e . \
    && python -m compileall -q /app/src /app/alembic

# ---- runtime ----
FROM python:${PYTHON_VERSION}-slim-bookworm

RUN groupadd --system --gid 10001 dars \
    && useradd --system --uid 10001 --gid dars --home-dir /app --no-create-home --shell /usr/sbin/nologin dars

# Owned by root, read-only to the server: it writes nothing to its disk (the data is in PostgreSQL).
COPY --from=build /app /app

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DARS_ENV=production \
    DARS_HOST=0.0.0.0 \
    DARS_WORKERS=2
WORKDIR /app
USER dars:dars
EXPOSE 8000

# Exec form: `dars` is PID 1 and gets SIGTERM itself (uvicorn forwards it to each worker).
CMD ["dars", "serve"]
