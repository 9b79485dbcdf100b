# syntax=docker/dockerfile:1.7
# One image per service (deploy.md §1):
#   docker build --build-arg SERVICE=order --build-arg PORT=2004 -t eshop-order .
# The same image runs the service's subcommands (`migrate`, `outbox list|redrive`, `auth bootstrap`,
# `product seed`). Health is checked by the orchestrator (compose healthcheck, k8s probes): distroless has no
# shell or client to run an image HEALTHCHECK.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target,sharing=locked \
    test -n "${SERVICE}" \
    && cargo build --release --locked -p "${SERVICE}" \
    && install -D -m 0555 "target/release/${SERVICE}" /out/service

# Debian 12 glibc + CA certificates, no shell, uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG SERVICE
ARG PORT
LABEL org.opencontainers.image.title="eshop-${SERVICE}" \
      org.opencontainers.image.source="https://github.com/eshop-rs/eshop"
COPY --from=build /out/service /app/service
# The product seed reads the demo catalogue and pictures.
COPY scripts/demo /app/demo
ENV HTTP_PORT=${PORT} \
    DEMO_CATALOGUE=/app/demo/catalogue.json \
    DEMO_IMAGES_DIR=/app/demo/images \
    LOG_FORMAT=json
USER 65532:65532
EXPOSE ${PORT}
ENTRYPOINT ["/app/service"]
