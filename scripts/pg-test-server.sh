#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests.
#
#   scripts/pg-test-server.sh start <dir>   initdb in <dir>, start on 127.0.0.1, print the URL
#   scripts/pg-test-server.sh url <dir>     print the URL of the server in <dir>
#   scripts/pg-test-server.sh stop <dir>    stop the server and remove <dir>
#
# <dir> must be new or empty (e.g. from mktemp -d). The server listens only on 127.0.0.1
# with trust authentication and fsync off: it is for tests, never for data that matters.
# The database is `ventanilla_test`, the superuser `postgres`.
# Run as root, the server runs as the `postgres` user (initdb refuses root).
# This script installs nothing; PG_BIN overrides the binaries' folder.
#
#   dir=$(mktemp -d)
#   export VENTANILLA_TEST_PG_URL=$(scripts/pg-test-server.sh start "$dir")
#   ...
#   scripts/pg-test-server.sh stop "$dir"
set -euo pipefail

readonly PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
readonly FIRST_PORT=55432
readonly PORT_ATTEMPTS=100
readonly DATABASE=ventanilla_test
readonly SUPERUSER=postgres
# Marks a folder made by this script, so `stop` never removes anything else.
readonly MARKER=.ventanilla-pg-test-server

die() {
    echo "pg-test-server: $*" >&2
    exit 1
}

usage() {
    echo "uso: $0 start|stop|url <carpeta>" >&2
    exit 2
}

# Runs a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

show_log() {
    local log=$1
    if [[ -f $log ]]; then
        echo "--- últimas líneas de $log ---" >&2
        tail -n 20 "$log" >&2 || true
    fi
}

cmd_start() {
    local dir=$1
    for tool in initdb pg_ctl pg_isready createdb; do
        [[ -x $PG_BIN/$tool ]] || die "no se encontró $PG_BIN/$tool; instale postgresql-15 primero"
    done
    # The folder is written into postgresql.conf, inside single quotes.
    case $dir in
        *\'* | *\\* | *[[:space:]]*)
            die "$dir: no se admiten comillas, barras invertidas ni espacios"
            ;;
    esac
    if [[ -e $dir ]]; then
        [[ -d $dir ]] || die "$dir existe y no es una carpeta"
        [[ -z $(ls -A "$dir") ]] || die "$dir no está vacía; use una carpeta nueva (mktemp -d)"
    else
        mkdir -p "$dir"
    fi
    # Unix socket paths are limited to about 107 bytes.
    local sock=$dir/sock
    (( ${#sock} + 20 < 107 )) ||
        die "$dir es demasiado larga para un socket unix; use una más corta"

    touch "$dir/$MARKER"
    mkdir -p "$dir/sock"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 ||
            die "como root hace falta el usuario 'postgres' para ejecutar el servidor"
        chown -R postgres: "$dir"
        as_owner test -w "$dir" ||
            die "el usuario postgres no puede escribir en $dir (una carpeta superior se lo" \
                "impide); use una bajo /tmp"
    fi

    local data=$dir/data log=$dir/server.log
    if ! as_owner "$PG_BIN/initdb" --pgdata="$data" --username="$SUPERUSER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        show_log "$dir/initdb.log"
        die "initdb falló"
    fi
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# Throwaway test server (scripts/pg-test-server.sh).
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF

    # Another process may take a port between the check and the bind, so a failed start
    # moves on to the next port.
    local port=$FIRST_PORT last=$((FIRST_PORT + PORT_ATTEMPTS)) started=
    while (( port < last )); do
        if ! port_in_use "$port"; then
            # Each attempt reads only its own log lines.
            if [[ -f $log ]]; then as_owner truncate --size=0 "$log"; fi
            if as_owner "$PG_BIN/pg_ctl" --pgdata="$data" --log="$log" --options="-p $port" \
                --wait --timeout=60 start >/dev/null 2>&1; then
                started=1
                break
            fi
            if ! grep -qi "could not bind\|could not create listen socket\|address already in use" \
                "$log" 2>/dev/null; then
                show_log "$log"
                as_owner "$PG_BIN/pg_ctl" --pgdata="$data" --mode=immediate stop \
                    >/dev/null 2>&1 || true
                die "el servidor no arrancó"
            fi
        fi
        port=$((port + 1))
    done
    [[ -n $started ]] || die "no hay puerto libre entre $FIRST_PORT y $((last - 1))"

    local ready=
    for _ in $(seq 1 60); do
        if "$PG_BIN/pg_isready" --quiet --host=127.0.0.1 --port="$port" --timeout=1; then
            ready=1
            break
        fi
        sleep 0.5
    done
    if [[ -z $ready ]]; then
        show_log "$log"
        as_owner "$PG_BIN/pg_ctl" --pgdata="$data" --mode=immediate stop >/dev/null 2>&1 || true
        die "el servidor no respondió en el puerto $port"
    fi

    if ! "$PG_BIN/createdb" --host=127.0.0.1 --port="$port" --username="$SUPERUSER" \
        "$DATABASE"; then
        as_owner "$PG_BIN/pg_ctl" --pgdata="$data" --mode=immediate stop >/dev/null 2>&1 || true
        die "no se pudo crear la base de datos $DATABASE"
    fi

    local url="postgresql://$SUPERUSER@127.0.0.1:$port/$DATABASE"
    echo "$url" >"$dir/url"
    echo "$url"
}

cmd_url() {
    local dir=$1
    [[ -f $dir/url ]] || die "no se inició ningún servidor en $dir"
    cat "$dir/url"
}

cmd_stop() {
    local dir=$1
    [[ -d $dir ]] || die "$dir no existe"
    [[ -f $dir/$MARKER ]] || die "$dir no fue creada por este script; no se borrará"
    if [[ -f $dir/data/postmaster.pid ]]; then
        as_owner "$PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=60 stop \
            >/dev/null || die "pg_ctl stop falló; el servidor de $dir puede seguir en marcha"
    fi
    rm -rf -- "$dir"
}

[[ $# -eq 2 ]] || usage
command=$1
[[ -n $2 ]] || usage
dir=$(realpath -m -- "$2")
case $command in
    start) cmd_start "$dir" ;;
    stop) cmd_stop "$dir" ;;
    url) cmd_url "$dir" ;;
    *) usage ;;
esac
