#!/usr/bin/env bash
# Runs the benchmarks and ends with a summary of their ratios. `./ventanilla bench`
# installs nginx-light and wrk, builds everything and calls this script.
#
#   bench/run.sh BUILD_DIR [all|reads|writes|cases|audit]
#
#   reads   bench/read_vs_nginx.sh: GET /api/v1/openapi.yaml, the server against nginx
#   writes  BUILD_DIR/bench/vt_bench_durable_writes: Store::Write() against raw SQLite
#   cases   BUILD_DIR/bench/vt_bench_case_submissions: CaseService::Submit() against raw
#           SQLite writing the same rows
#   audit   BUILD_DIR/bench/vt_bench_audit_log: audit appends against plain writes, and
#           proofs at 10 million leaves against hashing the same leaves
#
# Figures, not tests: no thresholds. The exit status is non-zero only when a benchmark
# could not run. Each load is bounded in time (about 40 s for reads, 15 s for writes
# with the defaults; the audit log takes 10 s of appends plus a few minutes and about
# 4 GB of disk to build its 10-million-leaf tree).
#
# Environment (all optional): the BENCH_* variables of read_vs_nginx.sh, and
#   BENCH_WRITES_SECONDS=5    length of each write measurement
#   BENCH_WRITES_CLIENTS=64   concurrent writers
#   BENCH_PG_URL              also measure the PostgreSQL adapter (VENTANILLA_TEST_PG_URL
#                             is used when this one is unset)
#   BENCH_AUDIT_SECONDS=5     length of each append measurement
#   BENCH_AUDIT_CLIENTS=16    concurrent appenders
#   BENCH_AUDIT_LEAVES=10000000  leaves of the tree the proofs are generated from
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE

usage() {
    echo "uso: $0 BUILD_DIR [all|reads|writes|cases|audit]" >&2
    exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
BUILD_DIR=$(cd "$1" 2>/dev/null && pwd) || { echo "run.sh: no existe la carpeta $1" >&2; exit 2; }
readonly BUILD_DIR
WHICH=${2:-all}
readonly WHICH
case $WHICH in
    all | reads | writes | cases | audit) ;;
    *) usage ;;
esac

header() {
    if [[ -t 1 ]]; then
        printf '\n\033[1m== %s ==\033[0m\n' "$*"
    else
        printf '\n== %s ==\n' "$*"
    fi
}

# Everything a run leaves behind (the output kept for the summary, the write benchmark's
# databases) lives here and goes on exit, interrupted or not.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vt-bench.XXXXXX")
readonly WORK LOG=$WORK/output.log
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

FAILED=()

# Runs one benchmark, showing its output and keeping it for the summary.
run_one() {
    local name=$1
    shift
    if ! "$@" 2>&1 | tee -a "$LOG"; then
        FAILED+=("$name")
        echo "run.sh: la medición '$name' no pudo completarse" >&2
    fi
}

if [[ $WHICH == all || $WHICH == reads ]]; then
    header "Lecturas: ventanilla frente a nginx (mismo archivo, mismo wrk)"
    run_one reads "$HERE/read_vs_nginx.sh" "$BUILD_DIR"
fi

if [[ $WHICH == all || $WHICH == writes ]]; then
    header "Escrituras durables: Store::Write() frente a SQLite directo"
    writes_bin=$BUILD_DIR/bench/vt_bench_durable_writes
    if [[ -x $writes_bin ]]; then
        mkdir "$WORK/writes"
        run_one writes "$writes_bin" --seconds "${BENCH_WRITES_SECONDS:-5}" \
            --clients "${BENCH_WRITES_CLIENTS:-64}" --dir "$WORK/writes"
    else
        echo "run.sh: no existe $writes_bin; compile con -DVT_BUILD_BENCH=ON" >&2
        FAILED+=(writes)
    fi
fi

if [[ $WHICH == all || $WHICH == cases ]]; then
    header "Presentaciones de expedientes: CaseService::Submit() frente a SQLite directo"
    cases_bin=$BUILD_DIR/bench/vt_bench_case_submissions
    if [[ -x $cases_bin ]]; then
        run_one cases "$cases_bin" --seconds "${BENCH_WRITES_SECONDS:-5}" --tramites "$HERE/../tramites"
    else
        echo "run.sh: no existe $cases_bin; compile con -DVT_BUILD_BENCH=ON" >&2
        FAILED+=(cases)
    fi
fi

if [[ $WHICH == all || $WHICH == audit ]]; then
    header "Registro de auditoría: anexos, y pruebas a 10 millones de hojas"
    audit_bin=$BUILD_DIR/bench/vt_bench_audit_log
    if [[ -x $audit_bin ]]; then
        mkdir "$WORK/audit"
        run_one audit "$audit_bin" --seconds "${BENCH_AUDIT_SECONDS:-5}" \
            --clients "${BENCH_AUDIT_CLIENTS:-16}" --leaves "${BENCH_AUDIT_LEAVES:-10000000}" \
            --dir "$WORK/audit"
    else
        echo "run.sh: no existe $audit_bin; compile con -DVT_BUILD_BENCH=ON" >&2
        FAILED+=(audit)
    fi
fi

header "Resumen"
sed -n 's/^resumen: /  /p' "$LOG"
if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo "  sin cifras: ${FAILED[*]}"
    exit 1
fi
