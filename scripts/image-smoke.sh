#!/bin/sh
# image-smoke.sh IMAGE: check a chathook image where containers cannot start.
# Exports the image's filesystem (create + export, nothing runs), then runs
# the entrypoint in a chroot as the image's user: version, a conformance run
# against the built-in receiver, sign; and it checks the image's shape: a
# non-root user, a static entrypoint, the CA bundle where Go looks for it, a
# 1777 /tmp, and no write access elsewhere. Needs root (chroot).
set -eu
image=${1:?usage: image-smoke.sh IMAGE}
engine=${CONTAINER:-$(command -v podman || command -v docker)}
root=$(mktemp -d)
chmod 0755 "$root" # the image's / (mktemp makes it 0700, closed to the image user)
trap 'rm -rf "$root"; [ -n "${cid:-}" ] && "$engine" rm -f "$cid" >/dev/null 2>&1 || true' EXIT

cid=$("$engine" create "$image")
"$engine" export "$cid" | tar -x -C "$root"
user=$("$engine" image inspect --format '{{.Config.User}}' "$image")
entry=$("$engine" image inspect --format '{{index .Config.Entrypoint 0}}' "$image")
echo "image $image: user $user, entrypoint $entry"

fail() { echo "image-smoke: $*" >&2; exit 1; }
[ "$user" = "65532:65532" ] || fail "user is $user, want 65532:65532 (non-root)"
[ -f "$root/etc/ssl/certs/ca-certificates.crt" ] || fail "no CA bundle at /etc/ssl/certs/ca-certificates.crt"
[ "$(stat -c %a "$root/tmp")" = "1777" ] || fail "/tmp is mode $(stat -c %a "$root/tmp"), want 1777"
file "$root$entry" 2>/dev/null | grep -q 'statically linked' || fail "$entry is not a static binary"

chroot=$(command -v chroot) || fail "chroot is not installed"
# The image's environment only (its ENV), as the container would have it.
in_image() { env -i TMPDIR=/tmp HOME=/tmp SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt "$chroot" --userspec="$user" "$root" "$entry" "$@"; }
in_image version
in_image conform --target builtin --label-filter 'delivery || signature' > "$root/tmp/conform.out" 2>&1 || { cat "$root/tmp/conform.out"; fail "conform --target builtin failed in the image"; }
tail -3 "$root/tmp/conform.out"
in_image sign --secret s3cret --timestamp 1700000000 /etc/ssl/certs/ca-certificates.crt >/dev/null || fail "sign failed"
# The image cannot write outside /tmp.
if in_image generate --platform chatwoot --count 1 --out /etc 2>/dev/null; then fail "the image user can write /etc"; fi
echo "image-smoke: ok"
