# syntax=docker/dockerfile:1
# Build stage: compile and install the dependencies into a virtualenv.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /venv
WORKDIR /src
# Exactly the locked runtime set, as `make install` does it: --no-deps (nothing resolved), each
# file checked against its hash, then pip check. runtime.txt is the runtime part of the same
# resolution as requirements/dev.txt (tests/setup/test_lock.py checks every pin agrees). The
# project itself runs from /app (templates and migrations live beside the packages).
COPY requirements/runtime.txt ./requirements/
RUN /venv/bin/pip install --no-deps --require-hashes -r requirements/runtime.txt \
    && /venv/bin/pip check

# Final stage: no compilers, a non-root user, the code and the virtualenv.
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH PYTHONPATH=/app PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SKILLSPRING_DATA_DIR=/data SKILLSPRING_HOST=0.0.0.0
RUN useradd --system --create-home --uid 10001 skillspring \
    && mkdir -p /data /keys/search /keys/indexer && chown -R skillspring /data /keys
COPY --from=build /venv /venv
WORKDIR /app
COPY search_service ./search_service
COPY indexer ./indexer
COPY migrations ./migrations
COPY templates ./templates
RUN printf '#!/bin/sh\nexec python -m search_service.cli "$@"\n' > /usr/local/bin/skillspring \
    && chmod 755 /usr/local/bin/skillspring
USER skillspring
EXPOSE 8000
VOLUME ["/data"]
CMD ["skillspring", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
