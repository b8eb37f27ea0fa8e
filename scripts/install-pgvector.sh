#!/usr/bin/env bash
# Installs the pgvector extension into the local PostgreSQL when it is
# missing. pgvector is not packaged for Debian bookworm, so it is built from
# Debian's own source package of the trixie suite against
# postgresql-server-dev of the installed major version. Safe to run again:
# it does nothing when the extension is already available.
set -euo pipefail

pgmajor=${PGMAJOR:-$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)}
pgmajor=${pgmajor:-15}
sharedir=$(/usr/lib/postgresql/"$pgmajor"/bin/pg_config --sharedir 2>/dev/null || echo /usr/share/postgresql/"$pgmajor")

if [ -f "$sharedir/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL $pgmajor"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

export DEBIAN_FRONTEND=noninteractive
src=/etc/apt/sources.list.d/trixie-src.sources
if [ ! -f "$src" ]; then
  $sudo tee "$src" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq "postgresql-server-dev-$pgmajor" build-essential dpkg-dev >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -qq pgvector >/dev/null 2>&1 || apt-get source pgvector
cd pgvector-*/
make -s PG_CONFIG=/usr/lib/postgresql/"$pgmajor"/bin/pg_config
$sudo make -s install PG_CONFIG=/usr/lib/postgresql/"$pgmajor"/bin/pg_config
echo "pgvector: installed for PostgreSQL $pgmajor"
