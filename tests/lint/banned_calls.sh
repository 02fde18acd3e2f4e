#!/usr/bin/env bash
# Each of these calls has one home; anywhere else it is a mistake:
#   - raw SQLite / libpq calls belong to src/store/ (bench/ is outside src/: its reference
#     loop must bypass the port to measure it);
#   - printing to the console belongs to src/app/ (everything else logs through spdlog).
set -uo pipefail
root="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$root" || exit 2
status=0

report() { # report "rule" lines...
  if [ -n "$2" ]; then
    printf 'Prohibido fuera de su lugar (%s):\n%s\n' "$1" "$2"
    status=1
  fi
}

hits=$(grep -rnE '\b(sqlite3_[a-z_0-9]+|PQ[a-zA-Z]+)\s*\(' src --include='*.cpp' --include='*.hpp' \
       | grep -vE '^src/store/' || true)
report "sqlite3_*/PQ* solo en src/store/" "$hits"

hits=$(grep -rnE '\b(std::cout|std::cerr)\b|\b(printf|fprintf|puts)\s*\(' src --include='*.cpp' --include='*.hpp' \
       | grep -vE '^src/app/|_test\.cpp:|/testing/' | grep -vE 'snprintf' || true)
report "salida a consola solo en src/app/" "$hits"

exit $status
