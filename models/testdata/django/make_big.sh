#!/usr/bin/env bash
# Makes a database of the original with many messages, for the import
# benchmark (docs/benchmarks.md), with the original's own ORM:
#
#   models/testdata/django/make_big.sh /tmp/big.sqlite3 [MESSAGES]
#
# Needs the original (../shared/peer from the project root, or PEER=DIR)
# and Debian's Django: apt-get install -y python3-django python3-django-channels python3-daphne
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PEER="${PEER:-$HERE/../../../../shared/peer}"
OUT="$(realpath -m "${1:?usage: make_big.sh OUT.sqlite3 [MESSAGES]}")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cp -r "$PEER/mini-discord" "$TMP/"
cd "$TMP/mini-discord"
rm -f "$OUT"
export PEER_DB="$OUT" DJANGO_SETTINGS_MODULE=mysite.settings BIG_MESSAGES="${2:-1000000}" PYTHONWARNINGS=ignore
/usr/bin/python3 manage.py migrate --noinput -v 0
/usr/bin/python3 manage.py shell <"$HERE/big.py"
