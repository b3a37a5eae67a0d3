#!/usr/bin/env bash
# Back up the database and the uploaded files into one folder:
#
#   scripts/backup.sh [FOLDER]          (default: backups/<date-time>)
#
# Reads DATABASE_URL (PostgreSQL) and DJANGO_MEDIA_ROOT (default var/media), like the
# app. Writes FOLDER/db.dump (pg_dump's custom format: compressed, restored with
# pg_restore) and FOLDER/media.tar.gz (the reply letters). The dump is consistent
# on its own (one snapshot); take it while the app runs. Uploads made during the
# backup may be in media.tar.gz without their row, never the other way round if the
# dump is taken first, as here.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
media=${DJANGO_MEDIA_ROOT:-${DJANGO_VAR_DIR:-var}/media}
folder=${1:-backups/$(date +%Y%m%d-%H%M%S)}

mkdir -p "$folder"
pg_dump --format=custom --no-owner --no-privileges --file="$folder/db.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$folder/media.tar.gz" .
else
  tar -czf "$folder/media.tar.gz" -T /dev/null
fi
echo "backup written to $folder: $(du -sh "$folder" | cut -f1)"
