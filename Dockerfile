# The BACUDA Portal image: the same image runs the web server, the workers and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

# PyTorch's CPU wheels: PyPI's torch is the CUDA build, several GB of GPU libraries this image would never use.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu \
    DJANGO_SETTINGS_MODULE=bacuda_portal.settings.production

# WeasyPrint needs Pango and fonts; gettext compiles the French catalogue.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz DJANGO_ALLOWED_HOSTS=build \
       python manage.py collectstatic --no-input -v 0 \
    && useradd --system --home /app bacuda && mkdir -p /data && chown bacuda /data

USER bacuda
EXPOSE 8000
CMD ["gunicorn", "bacuda_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60", "--access-logfile", "-"]
