# chathook container image: a static binary on an empty base.
#
# Built offline by "make image" (podman, or docker): the Makefile stages the
# image's whole filesystem in build/image/rootfs:
#   usr/local/bin/chathook                 the static binary (CGO_ENABLED=0, version stamped)
#   etc/ssl/certs/ca-certificates.crt      the build host's CA bundle, for https targets
#   tmp/                                   empty, mode 1777: the writable temp dir
# so no base image and no network are needed. (Copying the tree as one keeps
# /tmp's mode: a COPY into /tmp/ would leave the directory 0755.)
#
#   make image IMAGE=chathook:dev
#   podman run --rm --network host chathook:dev conform --target http://127.0.0.1:8080/webhooks --platform chatwoot
FROM scratch

# Reproduction bodies and captures are written under TMPDIR (/tmp).
COPY rootfs/ /

ENV TMPDIR=/tmp \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    HOME=/tmp

# Not root: the distroless "nonroot" ids.
USER 65532:65532
WORKDIR /tmp

ENTRYPOINT ["/usr/local/bin/chathook"]
CMD ["--help"]
