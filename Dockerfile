# A container for the prebuilt binary. Build the binary first (`make`, or `make arm64` and rename for a Pi),
# then: docker build -t fmp4streamer . && docker run --device=/dev/video0 -p 8000:8000 fmp4streamer
# The camera node (and /sys, read-only, for UVC extension units) is all it needs from the host.
# Not exercised here: the development machines have no Docker engine.
FROM debian:bookworm-slim
WORKDIR /app
COPY fmp4streamer fmp4streamer.conf.dist /app/
RUN cp /app/fmp4streamer.conf.dist /app/fmp4streamer.conf
EXPOSE 8000
ENTRYPOINT ["/app/fmp4streamer", "-c", "/app/fmp4streamer.conf"]
