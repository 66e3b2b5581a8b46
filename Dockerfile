# Multi-stage build: compile in the Rust image, run in a slim Debian with only the shared
# libraries the binary links (libpq for PostgreSQL, libsqlite3 for the embedded default).
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
# Build the dependencies first so that code changes do not rebuild them.
COPY Cargo.toml Cargo.lock rust-toolchain.toml ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && echo '' > src/lib.rs \
    && cargo build --release --locked && rm -rf src
COPY migrations migrations
COPY templates templates
COPY src src
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin devicepool
WORKDIR /app
COPY --from=build /src/target/release/devicepool /usr/local/bin/devicepool
COPY config config
RUN mkdir -p /app/data && chown devicepool /app/data
USER devicepool
ENV DEVICEPOOL_ENVIRONMENT=production \
    DATABASE_URL=sqlite://data/devicepool.db \
    PORT=8080
# SQLite data lives here; mount a volume so it survives the container.
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["devicepool", "healthcheck"]
ENTRYPOINT ["devicepool"]
CMD ["serve"]
