#!/usr/bin/env bash
# Makes the import-django fixtures with the original app's own ORM:
#
#   fixture.sqlite3        the original's SQLite database
#   fixture.postgres.sql   the same data written by the original into
#                          PostgreSQL, dumped by pg_dump (the tests load it
#                          into a schema of their own)
#   users.json             every user's password, for the login tests
#
# Needs the original (../shared/peer from the project root, or PEER=DIR),
# Debian's Django and the hashers' libraries, and PostgreSQL on
# 127.0.0.1:5432 with trust authentication:
#
#   apt-get install -y python3-django python3-django-channels python3-daphne \
#     python3-argon2 python3-bcrypt python3-psycopg2
#   models/testdata/django/make_fixture.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PEER="${PEER:-$HERE/../../../../shared/peer}"
PY=/usr/bin/python3 # Debian's python, where the packages live
PGDB=minidiscord_django_fixture
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The original is read-only where it is: work on a copy.
cp -r "$PEER/mini-discord" "$TMP/"
cd "$TMP/mini-discord"
export FIXTURE_DIR="$HERE" PYTHONWARNINGS=ignore

rm -f "$HERE/fixture.sqlite3"
PEER_DB="$HERE/fixture.sqlite3" DJANGO_SETTINGS_MODULE=mysite.settings "$PY" manage.py migrate --noinput -v 0
PEER_DB="$HERE/fixture.sqlite3" DJANGO_SETTINGS_MODULE=mysite.settings "$PY" manage.py shell <"$HERE/fixture.py"

# The same script through Django's PostgreSQL backend.
cat >mysite/settings_pg.py <<PY
from .settings import *  # noqa
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "$PGDB",
                         "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432"}}
PY
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB"
DJANGO_SETTINGS_MODULE=mysite.settings_pg "$PY" manage.py migrate --noinput -v 0
DJANGO_SETTINGS_MODULE=mysite.settings_pg FIXTURE_MANIFEST=0 "$PY" manage.py shell <"$HERE/fixture.py"
# Unqualified names, so the tests can load the dump into any schema, and
# no psql meta-commands (\restrict), as the tests send it as plain SQL.
pg_dump -h 127.0.0.1 -U postgres --no-owner --no-privileges --inserts "$PGDB" |
  grep -v -e "set_config('search_path'" -e '^\\' | sed -e 's/\bpublic\.//g' >"$HERE/fixture.postgres.sql"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE $PGDB"
echo "wrote $HERE/fixture.sqlite3, fixture.postgres.sql and users.json"
