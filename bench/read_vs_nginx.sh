#!/usr/bin/env bash
# Reads: the server answering GET /api/v1/openapi.yaml against nginx serving the same bytes
# from a file, both loaded by wrk with identical settings, one after the other.
#
#   bench/read_vs_nginx.sh BUILD_DIR
#
# The server runs with its default configuration, access log on (to a file), as in
# production; a second server run with the access log off shows what the log costs.
# nginx (Debian's nginx-light) gets a generated configuration in a temporary folder: as
# many workers as the server has I/O threads (one per core), keep-alive on, access log
# to a file. Both listen only on 127.0.0.1, on free ports, and are stopped on exit.
#
# Both send the same plain bytes: wrk sends no Accept-Encoding, the server compresses only
# for clients that ask for gzip, and nginx has gzip off. The script checks it, so the
# comparison never pits compressed bytes against plain ones.
#
# Environment (all optional):
#   BENCH_DURATION=10s     length of each measured wrk run
#   BENCH_WARMUP=2s        wrk run before each measurement, not counted
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=64   wrk connections (kept alive)
#   BENCH_LOG_OFF=1        also measure the server with its access log off (0 skips it)
#
# Figures, not a test: it fails only when a measurement cannot run. The last line starts
# with "resumen:" so that bench/run.sh can collect it.
set -euo pipefail
# wrk's figures and printf's %f use a decimal point whatever the caller's locale.
export LC_ALL=C.UTF-8

readonly GOAL=0.7
readonly PATH_UNDER_TEST=/api/v1/openapi.yaml
readonly NGINX=${NGINX:-/usr/sbin/nginx}
readonly DURATION=${BENCH_DURATION:-10s}
readonly WARMUP=${BENCH_WARMUP:-2s}
readonly THREADS=${BENCH_THREADS:-2}
readonly CONNECTIONS=${BENCH_CONNECTIONS:-64}
readonly LOG_OFF=${BENCH_LOG_OFF:-1}
readonly START_TIMEOUT_S=15

die() {
    echo "read_vs_nginx: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || { echo "uso: $0 BUILD_DIR" >&2; exit 2; }
readonly BIN=$1/ventanilla
[[ -x $BIN ]] || die "no existe $BIN; compile primero (./ventanilla build)"
[[ -x $NGINX ]] || die "no existe $NGINX; instale nginx-light"
command -v wrk >/dev/null || die "no se encuentra wrk; instálelo"
command -v curl >/dev/null || die "no se encuentra curl; instálelo"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vt-bench-reads.XXXXXX")
readonly TMP
# nginx workers drop root privileges (to nobody) and must still reach the files.
chmod 0755 "$TMP"

PIDS=()

# Stops a process started here: TERM, then KILL if it is still there after 10 s.
terminate() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        terminate "$pid"
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Drops a process from the ones to stop on exit.
forget() {
    local rest=() p
    for p in "${PIDS[@]}"; do
        if [[ $p != "$1" ]]; then rest+=("$p"); fi
    done
    PIDS=("${rest[@]+"${rest[@]}"}")
}

# Stops one process started here and forgets it.
stop_pid() {
    terminate "$1"
    forget "$1"
}

# Runs wrk with the given arguments, its report in file $1. In the background, so that
# INT or TERM interrupt the wait at once and the exit trap stops wrk as well.
run_wrk() {
    local out=$1 pid rc=0
    shift
    wrk "$@" >"$out" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget "$pid"
    return "$rc"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A random port nothing listens on now; callers retry when it is taken before they bind.
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 30000))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    die "no se encontró un puerto libre"
}

# Waits until `curl URL` answers 200, or fails when process $2 exits or time runs out.
wait_ready() {
    local url=$1 pid=$2
    for _ in $(seq $((START_TIMEOUT_S * 10))); do
        kill -0 "$pid" 2>/dev/null || return 1
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# Starts the server with the default configuration plus the VENTANILLA_* assignments
# given; sets SERVER_PID and SERVER_PORT. Settings from the caller's environment are
# dropped so that the run measures the defaults.
start_server() {
    local name=$1
    shift
    local dir=$TMP/$name unset_args=() var
    mkdir -p "$dir"
    for var in $(compgen -e); do
        if [[ $var == VENTANILLA_* ]]; then unset_args+=(-u "$var"); fi
    done
    for _ in 1 2 3 4 5; do
        SERVER_PORT=$(free_port)
        env "${unset_args[@]}" VENTANILLA_LOG_FILE="$dir/server.log" "$@" \
            "$BIN" serve --port "$SERVER_PORT" --data-dir "$dir/data" >"$dir/stdout.log" 2>&1 &
        SERVER_PID=$!
        PIDS+=("$SERVER_PID")
        if wait_ready "http://127.0.0.1:$SERVER_PORT/healthz" "$SERVER_PID"; then
            return 0
        fi
        stop_pid "$SERVER_PID"
        # Someone took the port between the check and the bind: try another one.
        grep -q "ya está en uso" "$dir/server.log" "$dir/stdout.log" 2>/dev/null || break
    done
    cat "$dir/server.log" "$dir/stdout.log" >&2 2>/dev/null || true
    die "el servidor ($name) no arrancó"
}

# Starts nginx serving $TMP/www with the given Content-Type; sets NGINX_PID and NGINX_PORT.
start_nginx() {
    local content_type=$1 dir=$TMP/nginx
    mkdir -p "$dir/logs" "$dir/temp"
    for _ in 1 2 3 4 5; do
        NGINX_PORT=$(free_port)
        cat >"$dir/nginx.conf" <<EOF
# Generated by bench/read_vs_nginx.sh. Every path is inside $dir.
daemon off;
master_process on;
worker_processes $(nproc);
pid $dir/nginx.pid;
lock_file $dir/nginx.lock;
error_log $dir/logs/error.log warn;

events {
    worker_connections 1024;
}

http {
    # Debian's defaults for a static site.
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    # The server keeps a connection for as many requests as the client sends.
    keepalive_requests 1000000;
    server_tokens off;
    # Like the server for a client without Accept-Encoding (wrk): plain bytes.
    gzip off;
    access_log $dir/logs/access.log combined;

    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;

    types {}
    default_type "$content_type";

    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
        location = $PATH_UNDER_TEST {
            # The same caching header the server sends.
            add_header Cache-Control "public, max-age=300";
        }
    }
}
EOF
        "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" >"$dir/stdout.log" 2>&1 &
        NGINX_PID=$!
        PIDS+=("$NGINX_PID")
        if wait_ready "http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST" "$NGINX_PID"; then
            return 0
        fi
        stop_pid "$NGINX_PID"
        # Someone took the port between the check and the bind: try another one.
        grep -q "Address already in use" "$dir/logs/error.log" "$dir/stdout.log" 2>/dev/null || break
    done
    cat "$dir/logs/error.log" "$dir/stdout.log" >&2 2>/dev/null || true
    die "nginx no arrancó"
}

# wrk's latency ("812.00us", "1.25ms", "2.01s", "1.00m") in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
        if (f < 0) { print "?"; exit }
        printf "%.2f", n * f
    }'
}

# Loads URL: a warm-up, then the measured run. Sets RPS, P50 and P99 (ms) and prints
# wrk's own report indented, plus a warning when some requests failed.
measure() {
    local label=$1 url=$2 out
    echo "-- $label: calentamiento $WARMUP, medición $DURATION ($url)"
    run_wrk "$TMP/wrk.out" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" \
        || { cat "$TMP/wrk.out" >&2; die "wrk falló contra $url"; }
    run_wrk "$TMP/wrk.out" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" \
        || { cat "$TMP/wrk.out" >&2; die "wrk falló contra $url"; }
    out=$(<"$TMP/wrk.out")
    sed 's/^/   /' "$TMP/wrk.out"
    RPS=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    [[ -n $RPS ]] || die "no se pudo leer el resultado de wrk para $label"
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        echo "   aviso: hubo respuestas de error o errores de conexión; la cifra de $label no es limpia"
    fi
}

# Processes other than this one ready to run, averaged over one second, in tenths: a busy
# machine makes every figure here unreliable.
others_running() {
    local total=0 key value
    for _ in $(seq 20); do
        # `read`, not a child process, so that the count does not include the sampler.
        while read -r key value _; do
            if [[ $key == procs_running ]]; then
                total=$((total + value - 1))
                break
            fi
        done </proc/stat
        sleep 0.05
    done
    echo $((total * 10 / 20))
}

ratio() { # a b -> a/b with two decimals
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

row() { # label rps p50 p99
    printf '%-32s %14.0f %9s ms %9s ms\n' "$1" "$2" "$3" "$4"
}

echo "Lecturas: GET $PATH_UNDER_TEST, wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $(nproc) núcleos"
others=$(others_running)
if ((others * 2 >= $(nproc) * 10)); then
    echo "aviso: en promedio $((others / 10)).$((others % 10)) procesos de otros están listos para" \
        "correr en $(nproc) núcleos; compiten con la medición y las cifras variarán"
fi

start_server logged VENTANILLA_LOG_ACCESS_FILE="$TMP/logged/access.log"
server_url=http://127.0.0.1:$SERVER_PORT$PATH_UNDER_TEST
mkdir -p "$TMP/www${PATH_UNDER_TEST%/*}"
content_type=$(curl -fsS -o "$TMP/www$PATH_UNDER_TEST" -w '%{content_type}' "$server_url") \
    || die "no se pudo obtener $server_url"
chmod -R a+rX "$TMP/www"
start_nginx "$content_type"
nginx_url=http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST

# Same bytes, same type: otherwise the comparison means nothing.
curl -fsS -o "$TMP/from-nginx" "$nginx_url" || die "nginx no sirve $nginx_url"
cmp -s "$TMP/www$PATH_UNDER_TEST" "$TMP/from-nginx" || die "nginx no devuelve los mismos bytes que el servidor"
nginx_type=$(curl -fsS -o /dev/null -w '%{content_type}' "$nginx_url")
[[ $nginx_type == "$content_type" ]] || die "Content-Type distinto: servidor '$content_type', nginx '$nginx_type'"
# Neither compresses for a client that does not ask (wrk does not).
for url in "$server_url" "$nginx_url"; do
    encoding=$(curl -fsS -o /dev/null -D - "$url" | tr -d '\r' |
        awk -F': *' 'tolower($1) == "content-encoding" { print $2 }')
    [[ -z $encoding ]] || die "$url respondió con Content-Encoding: $encoding sin que se pidiera"
done
echo "cuerpo: $(wc -c <"$TMP/from-nginx") bytes, Content-Type: $content_type; $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(nproc) procesos"

measure "ventanilla (registro de accesos activo)" "$server_url"
server_rps=$RPS server_p50=$P50 server_p99=$P99
[[ -s $TMP/logged/access.log ]] || die "el servidor no escribió su registro de accesos"
stop_pid "$SERVER_PID"

measure "nginx" "$nginx_url"
nginx_rps=$RPS nginx_p50=$P50 nginx_p99=$P99
stop_pid "$NGINX_PID"

if [[ $LOG_OFF != 0 ]]; then
    start_server unlogged VENTANILLA_SERVER_ACCESS_LOG=false
    measure "ventanilla (registro de accesos apagado)" "http://127.0.0.1:$SERVER_PORT$PATH_UNDER_TEST"
    quiet_rps=$RPS quiet_p50=$P50 quiet_p99=$P99
    stop_pid "$SERVER_PID"
fi

read_ratio=$(ratio "$server_rps" "$nginx_rps")
echo
printf '%-32s %14s %12s %12s\n' "" "solicitudes/s" "p50" "p99"
row "ventanilla, registro activo" "$server_rps" "$server_p50" "$server_p99"
row "nginx, registro activo" "$nginx_rps" "$nginx_p50" "$nginx_p99"
if [[ $LOG_OFF != 0 ]]; then
    row "ventanilla, registro apagado" "$quiet_rps" "$quiet_p50" "$quiet_p99"
fi
echo
echo "razón ventanilla/nginx (solicitudes/s, ambos con registro de accesos): ${read_ratio}×   meta ≥ ${GOAL}×"
if [[ $LOG_OFF != 0 ]]; then
    echo "razón ventanilla sin registro/nginx con registro: $(ratio "$quiet_rps" "$nginx_rps")×"
fi
printf 'resumen: lecturas, ventanilla/nginx = %s× solicitudes/s (meta ≥ %s×); %.0f frente a %.0f solicitudes/s\n' \
    "$read_ratio" "$GOAL" "$server_rps" "$nginx_rps"
