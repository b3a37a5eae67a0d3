#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW database and a media folder:
#
#   scripts/restore.sh FOLDER NEW_DATABASE_URL MEDIA_ROOT
#
# Creates the database named in NEW_DATABASE_URL (it must not exist yet; the user
# needs the right to create databases), restores FOLDER/db.dump into it with
# pg_restore, and unpacks FOLDER/media.tar.gz into MEDIA_ROOT. Then point the app at
# them (DATABASE_URL, DJANGO_MEDIA_ROOT), run `python manage.py migrate` (a no-op for
# a dump of the same version) and start it.
set -euo pipefail

folder=${1:?usage: restore.sh FOLDER NEW_DATABASE_URL MEDIA_ROOT}
url=${2:?usage: restore.sh FOLDER NEW_DATABASE_URL MEDIA_ROOT}
media=${3:?usage: restore.sh FOLDER NEW_DATABASE_URL MEDIA_ROOT}

# postgres://user:pass@host:port/name?options -> name, and the same URL on the
# maintenance database "postgres".
base=${url%%\?*}
name=${base##*/}
query=${url#"$base"}
admin_url="${base%/*}/postgres${query}"
[ -n "$name" ] || { echo "no database name in $url" >&2; exit 2; }
[ -f "$folder/db.dump" ] || { echo "no $folder/db.dump" >&2; exit 2; }

psql "$admin_url" -v ON_ERROR_STOP=1 -qAt \
  -c "CREATE DATABASE \"${name//\"/\"\"}\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$folder/db.dump"
mkdir -p "$media"
if [ -f "$folder/media.tar.gz" ]; then
  tar -C "$media" -xzf "$folder/media.tar.gz"
fi
echo "restored $folder into database $name and $media"
