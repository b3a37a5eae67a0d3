# The production image used by docker-compose.yml: the web server (gunicorn), the
# Celery worker and beat all run from it. Static files are collected at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_VAR_DIR=/app/var \
    DJANGO_MEDIA_ROOT=/data/media

WORKDIR /app

# gettext compiles the translations; psycopg2-binary and the rest need no compiler.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Translations (if the source has any) and static files, then drop root.
# The build runs with the embedded defaults (no database is touched).
RUN if [ -d locale ]; then python manage.py compilemessages; fi \
    && python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /app/var /data/media \
    && chown -R app:app /app/var /data

USER app

EXPOSE 8000

# config/gunicorn.conf.py: WEB_WORKERS workers, JSON logs, no access log (the app
# logs each request itself, with its request id).
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
