# The samverkan image: API, worker and beat run from it with different commands.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core core
COPY api api
COPY lifecycle lifecycle
COPY workers workers
COPY parties parties
COPY notifications notifications
COPY samverkan_cli samverkan_cli
COPY piccolo_conf.py ./
RUN pip install . && useradd --system --home /app samverkan
USER samverkan
EXPOSE 8000
CMD ["samverkan", "serve", "--host", "0.0.0.0", "--port", "8000"]
