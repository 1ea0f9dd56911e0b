# Production image: gunicorn serving config.wsgi, static files by WhiteNoise, PDFs by WeasyPrint.
# Build and run it through docker-compose.yml; see docs/DEPLOY.md.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's runtime libraries (Pango, HarfBuzz incl. its subsetter) and a font.
# No gettext: the compiled .mo files are committed. No libpq: psycopg-binary bundles it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app

WORKDIR /app

# requirements.txt pins the app's packages and the dev/test tooling in one list. The test
# runners, browser driver and linter (and the packages only they pull in) are filtered out here;
# everything else is installed as pinned. If the app ever imports one of these, drop it from
# the pattern.
COPY requirements.txt ./
RUN grep -v -i -E '^(pytest|pytest-django|pytest-playwright|playwright|greenlet|hypothesis|sortedcontainers|pypdf|ruff|iniconfig|pluggy|pygments|python-slugify|text-unidecode)==' \
        requirements.txt > /tmp/requirements-prod.txt \
    && pip install -r /tmp/requirements-prod.txt \
    && rm /tmp/requirements-prod.txt

COPY . .

# Static files are collected (hashed and compressed) into /app/staticfiles at build time, with
# production settings; the SECRET_KEY here exists only for this step. var/ is the SQLite
# fallback's folder, writable by the app user in case DATABASE_URL is unset.
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && chmod 0755 docker/entrypoint.sh \
    && mkdir -p var \
    && chown app:app var

USER app

EXPOSE 8000

# /health/ (config/health.py): database reachable and migrated; docker/healthcheck.py sends a
# Host header from ALLOWED_HOSTS. docker-compose.yml gives the worker its own check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]

# Waits for the database and runs migrations, then runs CMD (or the command given).
ENTRYPOINT ["/app/docker/entrypoint.sh"]
# gunicorn.conf.py: gthread workers, WEB_CONCURRENCY processes x WEB_THREADS threads.
CMD ["gunicorn", "config.wsgi:application"]
