#!/usr/bin/env bash
# The README's first command: install dependencies, build, start the server on
# its embedded defaults (SQLite file data/opinia.db, 127.0.0.1:50051). On the
# first start the operator (admin) key is written to data/admin.key.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p data
echo "starting opinia-server; admin key file: $(pwd)/data/admin.key"
exec build/service/server/opinia-server \
  --listen="${OPINIA_LISTEN:-127.0.0.1:50051}" \
  --db=data/opinia.db \
  --bootstrap-admin-key-file=data/admin.key "$@"
