#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests, so the suite never touches a system cluster.
#
#   pg_tmp.sh start DIR   initdb in DIR/data, start on 127.0.0.1 at a free port (from 55432
#                         up), create database sportello_test, print its URL on stdout:
#                         postgresql://postgres@127.0.0.1:PORT/sportello_test
#   pg_tmp.sh stop DIR    stop that cluster (fast shutdown) and remove DIR
#
# Everything else goes to DIR/log. Authentication is "trust", which is why the server listens
# on loopback only and its socket lives in DIR. As root the server runs as the `postgres` OS
# user (initdb refuses root); otherwise as the calling user. PG_BIN overrides the binaries.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
FIRST_PORT=55432
LAST_PORT=55631
DB_NAME=sportello_test

die() {
  echo "pg_tmp.sh: $*" >&2
  exit 1
}

usage() {
  die "usage: pg_tmp.sh start|stop DIR"
}

# Runs a command as the cluster's owner, from DIR so that it never needs access to the
# caller's working directory.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$DIR" && runuser -u postgres -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

# True when something already accepts connections on 127.0.0.1:$1.
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

show_log_tail() {
  if [[ -f $DIR/log ]]; then
    echo "--- last lines of $DIR/log ---" >&2
    tail -n 20 "$DIR/log" >&2 || true
  fi
}

cmd_start() {
  [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] ||
    die "PostgreSQL 15 binaries not found in $PG_BIN (install the postgresql package)"
  mkdir -p "$DIR"
  [[ -e $DIR/data ]] && die "$DIR/data already exists; stop that cluster first"
  : >"$DIR/log"
  if [[ $(id -u) -eq 0 ]]; then
    id -u postgres >/dev/null 2>&1 || die "no 'postgres' OS user (install the postgresql package)"
    chown postgres: "$DIR" "$DIR/log"
    chmod 700 "$DIR"
    runuser -u postgres -- test -w "$DIR" ||
      die "user postgres cannot reach $DIR (a parent directory is private); use a DIR under /tmp"
  fi

  as_owner "$PG_BIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=trust >>"$DIR/log" 2>&1 ||
    { show_log_tail; die "initdb failed"; }

  # Loopback only: trust authentication must not be reachable from the network.
  cat >"$DIR/data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA

  # A unix socket path is limited to 107 bytes; without one, clients use TCP.
  local sockets=$DIR
  if ((${#DIR} > 90)); then
    sockets=''
    echo "pg_tmp.sh: $DIR is too long for a unix socket; TCP only" >>"$DIR/log"
  fi

  # Our settings live in their own file, rewritten for each port tried; fsync stays on.
  echo "include 'pg_tmp.conf'" >>"$DIR/data/postgresql.conf"
  local port started=0 seen
  for ((port = FIRST_PORT; port <= LAST_PORT; port++)); do
    port_busy "$port" && continue
    cat >"$DIR/data/pg_tmp.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockets'
CONF
    seen=$(wc -l <"$DIR/log")
    if as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 start >>"$DIR/log" 2>&1; then
      started=1
      break
    fi
    # Another process may have taken the port between the check and the bind: try the next.
    tail -n "+$((seen + 1))" "$DIR/log" | grep -q 'could not create any TCP/IP sockets' ||
      { show_log_tail; die "server failed to start"; }
  done
  ((started)) || { show_log_tail; die "no free port in $FIRST_PORT-$LAST_PORT"; }

  as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB_NAME" >>"$DIR/log" 2>&1 ||
    { show_log_tail; die "createdb failed"; }
  echo "postgresql://postgres@127.0.0.1:$port/$DB_NAME"
}

cmd_stop() {
  [[ -d $DIR ]] || return 0
  if [[ -f $DIR/data/postmaster.pid ]]; then
    as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >>"$DIR/log" 2>&1 || {
      # Exit status 3 from "status" means not running (e.g. a stale pid file).
      local rc=0
      as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1 || rc=$?
      ((rc == 3)) || { show_log_tail; die "could not stop the server in $DIR/data"; }
    }
  fi
  rm -rf "$DIR"
}

[[ $# -eq 2 ]] || usage
DIR=$2
[[ -n $DIR ]] || usage
case $DIR in
  /*) ;;
  *) DIR=$PWD/$DIR ;;
esac
DIR=${DIR%/}

case $1 in
  start) cmd_start ;;
  stop) cmd_stop ;;
  *) usage ;;
esac
