#!/bin/sh
# Configures a running deepflow-server through its controller HTTP API - the same endpoints deepflow-ctl calls
# (`deepflow-ctl plugin create` and `deepflow-ctl agent-group-config create|update`). curl is used instead of
# deepflow-ctl because DeepFlow publishes no deepflow-ctl image and deepflow-ctl exits 0 when the API rejects a
# request, so a Job could not tell success from failure.
#
# Environment: API (http://host:port), WAIT_SECONDS, UPLOAD_PLUGIN, CONFIGURE_AGENT_GROUP.
# Files: /config/kubevirt.lua, /config/agent-group-config.yaml
set -eu

# deepflow-ctl identifies itself as the built-in admin user the same way.
HEADERS='-H X-User-Id:1 -H X-User-Type:1'

log() { echo "configure-deepflow: $*"; }
fail() { echo "configure-deepflow: ERROR: $*" >&2; exit 1; }

# Succeeds when the reply is 2xx and DeepFlow reports OPT_STATUS SUCCESS; prints the body.
call() {
  body=$(curl -sS --fail-with-body --max-time 30 $HEADERS "$@") || { echo "$body" >&2; return 1; }
  case "$body" in
    *'"OPT_STATUS":"SUCCESS"'*) printf '%s' "$body" ;;
    *) echo "$body" >&2; return 1 ;;
  esac
}

wait_for_server() {
  deadline=$(( $(date +%s) + WAIT_SECONDS ))
  until curl -fsS -o /dev/null --max-time 5 "$API/v1/health/"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "deepflow-server at $API was not healthy within ${WAIT_SECONDS}s"
    sleep 5
  done
  log "deepflow-server is healthy"
}

upload_plugin() {
  # Plugin type 3 = lua, user 2 = server. DeepFlow replaces a plugin with the same name, so reruns are safe.
  call -X POST -F NAME=kubevirt -F TYPE=3 -F USER=2 -F "IMAGE=@/config/kubevirt.lua;filename=kubevirt.lua" \
    "$API/v1/plugin/" >/dev/null || fail "uploading the kubevirt Lua plugin was rejected"
  log "kubevirt Lua plugin uploaded"
}

configure_agent_group() {
  groups=$(call "$API/v1/vtap-groups/?name=default") || fail "listing agent groups failed"
  lcuuid=$(printf '%s' "$groups" | grep -o '"LCUUID":"[^"]*"' | head -n 1 | cut -d '"' -f 4)
  [ -n "$lcuuid" ] || fail "DeepFlow's default agent group was not found"
  url="$API/v1/agent-group-configuration/$lcuuid/yaml"
  # Update the group's configuration, or create it the first time.
  if call -X PUT --data-binary @/config/agent-group-config.yaml "$url" >/dev/null 2>&1; then
    log "agent group configuration updated"
  else
    call -X POST --data-binary @/config/agent-group-config.yaml "$url" >/dev/null \
      || fail "writing the agent group configuration was rejected"
    log "agent group configuration created"
  fi
}

wait_for_server
[ "$UPLOAD_PLUGIN" != "true" ] || upload_plugin
[ "$CONFIGURE_AGENT_GROUP" != "true" ] || configure_agent_group
log "done"
