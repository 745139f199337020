#!/usr/bin/env bash
# Back up what cannot be rebuilt: the corpus folder and the configuration (see docs/DEPLOY.md).
# The cache is not backed up: it is rebuilt from the corpus (a cold ingest of ten years takes about a minute).
# Usage: deploy/backup.sh [corpus folder] [config folder] [backup folder]
set -euo pipefail
corpus=$(realpath "${1:-/srv/pinghu/corpus}")
config=$(realpath "${2:-/etc/pinghu}")
dest=${3:-/var/backups/pinghu}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$dest"
archive="$dest/pinghu-$stamp.tar.gz"
# Files still being written (temporary names) are left out; they are complete in the next backup.
if ! tar --create --gzip --file "$archive.part" -C / \
    --exclude='*.part' --exclude='*.tmp' --exclude='.upload-*' \
    --transform "s|^${corpus#/}|corpus|" --transform "s|^${config#/}|config|" \
    "${corpus#/}" "${config#/}"; then
    rm -f "$archive.part"
    exit 1
fi
mv "$archive.part" "$archive"
echo "$archive"
