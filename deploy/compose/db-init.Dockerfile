# The compose stack's one-shot database provisioning (deploy/compose/db-init.sh).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client mariadb-client \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/compose/db-init.sh /usr/local/bin/db-init
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/db-init"]
