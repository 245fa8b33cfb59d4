#!/usr/bin/env bash
# A real Kubernetes API server (plus the etcd it stores into) for the k8s test suite: no cluster, no
# container engine, no kubelet/scheduler/controller-manager. Both programs are built from the Go module
# proxy by the wrapper module tools/kube-apiserver (see its go.mod) into .tools/kube/v<KUBE_VERSION>/bin.
#
#   scripts/kube-apiserver.sh build    build once per version (reused while go.mod/go.sum are unchanged)
#   scripts/kube-apiserver.sh start    build if needed, start etcd + kube-apiserver on 127.0.0.1 (random ports),
#                                      wait for /readyz, print the path of an env file (KUBECONFIG, KUBE_SERVER,
#                                      KUBE_TOKEN, KUBE_CA_FILE, ...). On any failure it stops what it started.
#   scripts/kube-apiserver.sh stop     stop both process groups (TERM, then KILL); safe to call when not running
#   scripts/kube-apiserver.sh status   exit 0 if both processes are running
#   scripts/kube-apiserver.sh run -- <command...>
#                                      start, run the command with KUBE_TEST_ENV and KUBECONFIG exported, and
#                                      always stop afterwards (also on failure or Ctrl-C); exits with its status
#
# KUBE_RUN_DIR (default .tools/kube/run) holds certificates, tokens, logs and pid files of one instance;
# give concurrent instances different run dirs. KUBE_SERVICE_CIDR (default 10.43.0.0/16) is the Service IP range. All progress goes to stderr; stdout is only the env file path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"

MODULE_DIR="$ROOT/tools/kube-apiserver"
CACHE_DIR="$ROOT/.tools/kube"
BIN_DIR="$CACHE_DIR/v$KUBE_VERSION/bin"
RUN_DIR="$(realpath -m "${KUBE_RUN_DIR:-$CACHE_DIR/run}")"
READY_TIMEOUT_SECONDS="${KUBE_READY_TIMEOUT_SECONDS:-180}"
SA_ISSUER="https://kubernetes.default.svc.cluster.local"

log() { printf '[kube-apiserver] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The binaries are rebuilt when the module's go.mod/go.sum change, not only when the version does.
module_fingerprint() { cat "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum" | sha256sum | cut -d' ' -f1; }

build() {
  grep -q "^	k8s.io/kubernetes v$KUBE_VERSION\$" "$MODULE_DIR/go.mod" ||
    die "tools/kube-apiserver/go.mod does not require k8s.io/kubernetes v$KUBE_VERSION (tools/versions.env); run tools/kube-apiserver/regenerate.sh"
  local want
  want="$(module_fingerprint)"
  if [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/etcd" ] && [ "$(cat "$BIN_DIR/.fingerprint" 2>/dev/null)" = "$want" ]; then
    log "reusing $BIN_DIR"
    return
  fi
  mkdir -p "$BIN_DIR"
  local started=$SECONDS
  # -ldflags stamp the version the way Kubernetes' release build does, so /version (and Helm's
  # .Capabilities.KubeVersion) report v$KUBE_VERSION instead of v0.0.0-master.
  local v="k8s.io/component-base/version" c="k8s.io/client-go/pkg/version"
  local minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"
  local stamp="-X $v.gitVersion=v$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  stamp="$stamp -X $c.gitVersion=v$KUBE_VERSION -X $c.gitMajor=1 -X $c.gitMinor=$minor -X $c.gitTreeState=clean"
  log "building kube-apiserver v$KUBE_VERSION and etcd from the Go module proxy (cold: about 4 minutes on 2 cores)"
  (
    cd "$MODULE_DIR"
    # readonly: the committed go.sum must be complete; CGO off like upstream release builds (static, no gcc needed).
    export GOFLAGS="-mod=readonly -buildvcs=false -trimpath" CGO_ENABLED=0
    go build -ldflags "-s -w $stamp" -o "$BIN_DIR/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
    go build -ldflags "-s -w" -o "$BIN_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  )
  mv "$BIN_DIR/kube-apiserver.tmp" "$BIN_DIR/kube-apiserver"
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
  echo "$want" > "$BIN_DIR/.fingerprint"
  log "built in $((SECONDS - started))s into $BIN_DIR"
}

# Three distinct free loopback ports, held open together while chosen so they cannot collide.
free_ports() {
  python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

make_credentials() {
  local pki="$RUN_DIR/pki"
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3 -subj "/CN=kube-test-ca" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=kube-apiserver" \
      -keyout serving.key -out serving.csr 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc" \
      "extendedKeyUsage=serverAuth" "keyUsage=digitalSignature,keyEncipherment" > serving.ext
    openssl x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3 -sha256 \
      -extfile serving.ext -out serving.crt 2>/dev/null
    # Service-account tokens (TokenRequest) are signed with this pair; no token controller runs.
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    # Static bearer token of a cluster admin (system:masters), the only credential the tests start with.
    local token
    token="$(openssl rand -hex 32)"
    echo "$token,kube-test-admin,kube-test-admin,system:masters" > tokens.csv
    echo "$token" > admin.token
    chmod 600 ./*.key tokens.csv admin.token
  )
}

# Starts a program in its own session/process group and records its pid (= group id) in <name>.pid.
launch() {
  local name="$1"; shift
  setsid sh -c 'echo $$ > "$0"; exec "$@"' "$RUN_DIR/$name.pid" "$@" </dev/null >"$RUN_DIR/$name.log" 2>&1 &
  local i
  # Wait until the recorded pid has exec'd into the binary, so later liveness checks are exact.
  for i in $(seq 100); do live_pid "$name" >/dev/null && return; sleep 0.1; done
  die "$name did not start (see $RUN_DIR/$name.log)"
}

# The pid in <name>.pid, only while it still runs our binary (a stale file must never kill a stranger).
live_pid() {
  local pid
  pid="$(cat "$RUN_DIR/$1.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == "$BIN_DIR/$1 "* ]] || return 1
  echo "$pid"
}

stop_one() {
  local name="$1" pid i
  if pid="$(live_pid "$name")"; then
    log "stopping $name (process group $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
}

stop() {
  [ -d "$RUN_DIR" ] || return 0
  stop_one kube-apiserver
  stop_one etcd
  # Keep logs for post-mortems; the store and the credentials are throw-away, and a stale env file
  # would only point tests at a dead server.
  rm -rf "$RUN_DIR/etcd-data" "$RUN_DIR/pki" "$RUN_DIR/env" "$RUN_DIR/kubeconfig"
}

write_kubeconfig() {
  local server="$1" token="$2"
  cat > "$RUN_DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kube-test
  cluster:
    server: $server
    certificate-authority: $RUN_DIR/pki/ca.crt
users:
- name: kube-test-admin
  user:
    token: $token
contexts:
- name: kube-test
  context: {cluster: kube-test, user: kube-test-admin}
current-context: kube-test
EOF
  chmod 600 "$RUN_DIR/kubeconfig"
}

wait_ready() {
  local server="$1" token="$2" deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  while [ $SECONDS -lt $deadline ]; do
    live_pid etcd >/dev/null || { tail -n 30 "$RUN_DIR/etcd.log" >&2; die "etcd exited"; }
    live_pid kube-apiserver >/dev/null || { tail -n 30 "$RUN_DIR/kube-apiserver.log" >&2; die "kube-apiserver exited"; }
    if curl -fsS --max-time 5 --cacert "$RUN_DIR/pki/ca.crt" -H "Authorization: Bearer $token" \
      "$server/readyz" >/dev/null 2>&1; then
      return
    fi
    sleep 0.5
  done
  curl -sS --max-time 5 --cacert "$RUN_DIR/pki/ca.crt" -H "Authorization: Bearer $token" "$server/readyz?verbose" >&2 || true
  tail -n 30 "$RUN_DIR/kube-apiserver.log" >&2
  die "kube-apiserver not ready after ${READY_TIMEOUT_SECONDS}s"
}

start() {
  if live_pid kube-apiserver >/dev/null || live_pid etcd >/dev/null; then
    die "already running in $RUN_DIR; run '$0 stop' first (or set KUBE_RUN_DIR)"
  fi
  build
  # From here on, anything that fails (or an interrupt) tears down what was started.
  trap 'rc=$?; if [ $rc -ne 0 ]; then log "start failed, stopping"; stop; fi' EXIT
  trap 'exit 130' INT TERM
  # Only ever wipe a directory this script created (KUBE_RUN_DIR could point anywhere).
  if [ -d "$RUN_DIR" ] && [ -n "$(ls -A "$RUN_DIR")" ] && [ ! -f "$RUN_DIR/.kube-test-run" ]; then
    die "$RUN_DIR exists and was not created by this script; choose another KUBE_RUN_DIR"
  fi
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  chmod 700 "$RUN_DIR"
  touch "$RUN_DIR/.kube-test-run"
  make_credentials
  local etcd_port peer_port api_port
  read -r etcd_port peer_port api_port < <(free_ports)
  local etcd_url="http://127.0.0.1:$etcd_port" peer_url="http://127.0.0.1:$peer_port"
  local server="https://127.0.0.1:$api_port" token
  token="$(cat "$RUN_DIR/pki/admin.token")"

  # --unsafe-no-fsync: a throw-away test store does not need durable writes, and fsync dominates on slow disks.
  launch etcd "$BIN_DIR/etcd" --name kube-test --data-dir "$RUN_DIR/etcd-data" \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "kube-test=$peer_url" --unsafe-no-fsync --log-level warn

  # PodSecurity and NamespaceLifecycle are default admission plugins; they are named so they stay on whatever
  # the defaults become. --allow-privileged lets PodSecurity (not the API server's global switch) decide about
  # privileged pods, as on RKE2. No controllers run: the endpoint reconciler is off.
  local pki="$RUN_DIR/pki"
  launch kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "$etcd_url" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/serving.crt" --tls-private-key-file "$pki/serving.key" \
    --token-auth-file "$pki/tokens.csv" --anonymous-auth=false \
    --authorization-mode RBAC \
    --enable-admission-plugins NamespaceLifecycle,ServiceAccount,PodSecurity,LimitRanger,ResourceQuota,DefaultStorageClass \
    --allow-privileged=true \
    --service-account-issuer "$SA_ISSUER" --api-audiences "$SA_ISSUER" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range "${KUBE_SERVICE_CIDR:-10.43.0.0/16}" \
    --endpoint-reconciler-type none \
    --profiling=false --v 1

  wait_ready "$server" "$token"
  write_kubeconfig "$server" "$token"
  cat > "$RUN_DIR/env" <<EOF
KUBECONFIG=$RUN_DIR/kubeconfig
KUBE_SERVER=$server
KUBE_TOKEN=$token
KUBE_CA_FILE=$RUN_DIR/pki/ca.crt
KUBE_VERSION=$KUBE_VERSION
KUBE_RUN_DIR=$RUN_DIR
EOF
  chmod 600 "$RUN_DIR/env"
  trap - EXIT INT TERM
  log "ready at $server (logs in $RUN_DIR)"
  echo "$RUN_DIR/env"
}

run() {
  [ "${1:-}" = "--" ] && shift
  [ $# -gt 0 ] || die "usage: $0 run -- <command...>"
  local env_file rc=0
  env_file="$(start)"
  trap 'stop' EXIT
  # The command runs in the background so that a signal to this script is handled at once (bash defers
  # traps while a foreground child runs): it is passed on as TERM, then the servers are stopped.
  KUBE_TEST_ENV="$env_file" KUBECONFIG="$RUN_DIR/kubeconfig" "$@" &
  RUN_CHILD=$!
  trap 'kill -TERM "$RUN_CHILD" 2>/dev/null; wait "$RUN_CHILD"; exit 130' INT
  trap 'kill -TERM "$RUN_CHILD" 2>/dev/null; wait "$RUN_CHILD"; exit 143' TERM
  wait "$RUN_CHILD" || rc=$?
  exit "$rc"
}

status() {
  live_pid etcd >/dev/null && live_pid kube-apiserver >/dev/null
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 build|start|stop|status|run -- <command...>" >&2; exit 2 ;;
esac
