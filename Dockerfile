# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 copkit

COPY pyproject.toml README.md ./
RUN pip install . && rm -rf /root/.cache
COPY . .
RUN COPKIT_PRODUCTION=true DJANGO_SECRET_KEY=build-only-collectstatic \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R copkit /app/var

USER copkit
EXPOSE 8000
CMD ["gunicorn", "copkit.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
