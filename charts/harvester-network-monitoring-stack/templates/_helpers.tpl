{{/* Names, labels and image references shared by every template. */}}

{{- define "hnm.fullname" -}}
{{- .Values.fullnameOverride | default "hnm" | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "hnm.agentNamespace" -}}{{ .Values.namespaces.agent }}{{- end -}}
{{- define "hnm.stackNamespace" -}}{{ .Values.namespaces.stack }}{{- end -}}

{{/* Object name of a component: hnm-server, hnm-grafana, ... */}}
{{- define "hnm.name" -}}
{{- printf "%s-%s" (include "hnm.fullname" .root) .component -}}
{{- end -}}

{{/* Cluster-scoped objects carry the stack namespace so two installs never collide. */}}
{{- define "hnm.clusterName" -}}
{{- printf "%s-%s-%s" (include "hnm.fullname" .root) (include "hnm.stackNamespace" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hnm.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "hnm.labels" -}}
{{ include "hnm.selectorLabels" . }}
app.kubernetes.io/part-of: harvester-network-monitoring
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
registry/repository:tag. global.imageRegistry replaces every image's own registry; when it is empty, Rancher's
system default registry (global.cattle.systemDefaultRegistry, set by Rancher for air-gapped installs) does.
*/}}
{{- define "hnm.image" -}}
{{- $rancherRegistry := dig "cattle" "systemDefaultRegistry" "" .root.Values.global -}}
{{- $registry := .root.Values.global.imageRegistry | default $rancherRegistry | default .image.registry -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository (toString .image.tag) -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (toString .image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "hnm.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "hnm.priorityClassName" -}}
{{- if .Values.priorityClass.create -}}
{{- .Values.priorityClass.name | default (include "hnm.clusterName" (dict "root" . "component" "critical")) -}}
{{- else -}}
{{- .Values.priorityClass.name -}}
{{- end -}}
{{- end -}}

{{/* Pod-level settings every workload shares: pull secrets and priority class. */}}
{{- define "hnm.podCommon" -}}
{{- include "hnm.imagePullSecrets" . }}
{{- with (include "hnm.priorityClassName" .) }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{/* The restricted-profile container securityContext used by every non-agent container. */}}
{{- define "hnm.restrictedContainerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Pod securityContext for a non-root image: uid/gid of the image's user. */}}
{{- define "hnm.restrictedPodSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .gid }}
fsGroup: {{ .gid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Service DNS names. Agents run on the host network, so they get the fully qualified form. */}}
{{- define "hnm.serverHost" -}}
{{- printf "%s.%s.svc" (include "hnm.name" (dict "root" . "component" "server")) (include "hnm.stackNamespace" .) -}}
{{- end -}}
{{- define "hnm.serverFQDN" -}}
{{- printf "%s.%s" (include "hnm.serverHost" .) .Values.global.clusterDomain -}}
{{- end -}}

{{/*
Where the server finds MySQL: the chart's Service, or mysql.external. ClickHouse's dictionaries connect to the same
host (DeepFlow 7.1.8 server/controller/db/metadb/common/ch_source.go GetClickhouseSource uses controller.mysql host
and port as the dictionary source), so an external ClickHouse can only work with a MySQL it can reach: an external one.
*/}}
{{- define "hnm.mysqlHost" -}}
{{- if .Values.mysql.external.enabled -}}{{ .Values.mysql.external.host }}{{- else -}}{{ include "hnm.name" (dict "root" . "component" "mysql") }}{{- end -}}
{{- end -}}
{{- define "hnm.mysqlPort" -}}
{{- if .Values.mysql.external.enabled -}}{{ .Values.mysql.external.port }}{{- else -}}{{ include "hnm.port.mysql" . }}{{- end -}}
{{- end -}}
{{- define "hnm.mysqlUser" -}}
{{- if .Values.mysql.external.enabled -}}{{ .Values.mysql.external.username }}{{- else -}}root{{- end -}}
{{- end -}}
{{- define "hnm.clickhouseUser" -}}
{{- if .Values.clickhouse.external.enabled -}}{{ .Values.clickhouse.external.username }}{{- else -}}default{{- end -}}
{{- end -}}

{{/*
The addresses NetworkPolicies let pods reach an external MySQL at: mysql.external.egressCIDRs, else the host's
own /32 or /128 (validate.yaml requires one of them). JSON list.
*/}}
{{- define "hnm.mysqlExternalCIDRs" -}}
{{- $m := .Values.mysql.external -}}
{{- if $m.egressCIDRs -}}
{{- toJson $m.egressCIDRs -}}
{{- else if regexMatch "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$" $m.host -}}
{{- toJson (list (printf "%s/32" $m.host)) -}}
{{- else if contains ":" $m.host -}}
{{- toJson (list (printf "%s/128" $m.host)) -}}
{{- else -}}
{{- toJson list -}}
{{- end -}}
{{- end -}}

{{/* Annotation that keeps an object when the release is uninstalled, if persistence.keepOnUninstall. */}}
{{- define "hnm.keepAnnotation" -}}
{{- if .Values.persistence.keepOnUninstall -}}
helm.sh/resource-policy: keep
{{- end }}
{{- end -}}

{{/* Ports DeepFlow's server listens on (DeepFlow defaults). */}}
{{- define "hnm.port.querier" -}}20416{{- end -}}
{{- define "hnm.port.controller" -}}20417{{- end -}}
{{- define "hnm.port.grpc" -}}20035{{- end -}}
{{- define "hnm.port.ingester" -}}20033{{- end -}}
{{- define "hnm.port.mysql" -}}3306{{- end -}}
{{- define "hnm.port.clickhouseTcp" -}}9000{{- end -}}
{{- define "hnm.port.clickhouseHttp" -}}8123{{- end -}}
{{- define "hnm.port.grafana" -}}3000{{- end -}}
{{- define "hnm.port.grafanaProxy" -}}8080{{- end -}}
{{/* Read-only agent-state proxy in the server pod (server.agentStateProxy); 20418 is deepflow-app's port in DeepFlow. */}}
{{- define "hnm.port.agentState" -}}20419{{- end -}}

{{/*
Where agents register (deepflow-agent.yaml): the server Service, or agent.server.address/port (a load balancer in
front of the server's grpc port). DeepFlow 7.1.8 reads controller-ips/controller-port from this file only for
the first contact: the server then hands agents of its own cluster the server pods' addresses
(server/controller/trisolaris/services/grpc/agentsynchronize/sync_push.go generateUserConfig).
*/}}
{{- define "hnm.agentControllerConfig" -}}
controller-ips:
  - {{ .Values.agent.server.address | default (include "hnm.serverFQDN" .) | quote }}
controller-port: {{ .Values.agent.server.port | default (include "hnm.port.grpc" .) }}
{{- end -}}

{{/*
The captured interfaces: agent.interfaceRegex plus the parents of MACVlan/IPVlan secondary NICs, as one anchored
alternation (DeepFlow matches the whole name with this regex: inputs.cbpf.af_packet.interface_regex).
*/}}
{{- define "hnm.agentInterfaceRegex" -}}
{{- $regex := .Values.agent.interfaceRegex -}}
{{- $parents := list -}}
{{- range .Values.agent.secondaryNics.parentInterfaces }}{{ $parents = append $parents (regexQuoteMeta .) }}{{ end -}}
{{- if $parents -}}
{{- printf "^(%s|%s)$" (trimSuffix ")$" (trimPrefix "^(" $regex)) (join "|" $parents) -}}
{{- else -}}
{{- $regex -}}
{{- end -}}
{{- end -}}

{{/*
The default agent group's configuration (DeepFlow 7.1.8 server/agent_config/template.yaml keys), as YAML:
self-limits, captured interfaces, capture mode for MACVlan/IPVlan secondary NICs, and no ConfigMap watch for the
watcher (its ClusterRole does not allow it). agent.groupConfig is merged over it.
  capture_mode 1 (Virtual Mirror): "in the K8s macvlan environment, capture the Pod traffic through the Node NIC".
  inner_interface_capture_enabled: agent/src/dispatcher/mod.rs uses the namespace-capturing dispatcher only in
  capture_mode 0 without dispatcher_queue; it finds namespaces whose interface (matching inner_interface_regex)
  is linked to the root namespace (local_multins_mode_dispatcher.rs find_tap_namespaces), which MACVlan and
  IPVlan sub-interfaces are. Each captured namespace gets its own AF_PACKET ring: ring_blocks x 1 MiB.
*/}}
{{- define "hnm.agentGroupConfig" -}}
{{- $nics := .Values.agent.secondaryNics -}}
{{- $afPacket := dict "interface_regex" (include "hnm.agentInterfaceRegex" .) -}}
{{- $inputs := dict "cbpf" (dict "af_packet" $afPacket)
  "resources" (dict "kubernetes" (dict "api_resources" (list (dict "name" "configmaps" "disabled" true)))) -}}
{{- if $nics.podNamespaces.enabled -}}
{{- $_ := set $afPacket "inner_interface_capture_enabled" true -}}
{{- $_ := set $afPacket "inner_interface_regex" $nics.podNamespaces.interfaceRegex -}}
{{- $_ := set $afPacket "tunning" (dict "ring_blocks_enabled" true "ring_blocks" ($nics.podNamespaces.ringBlocks | int)) -}}
{{- $_ := set $inputs.cbpf "common" (dict "capture_mode" 0) -}}
{{- else if eq $nics.type "macvlan" -}}
{{- $_ := set $inputs.cbpf "common" (dict "capture_mode" 1) -}}
{{- else if eq $nics.type "ipvlan" -}}
{{- $_ := set $inputs.cbpf "common" (dict "capture_mode" 0) -}}
{{- end -}}
{{- $base := dict
  "global" (dict "limits" (dict
    "max_millicpus" (include "hnm.agentLimitsMillicpu" . | int)
    "max_memory" (include "hnm.agentLimitsMiB" . | int)))
  "inputs" $inputs -}}
{{- toYaml (mustMergeOverwrite $base (deepCopy .Values.agent.groupConfig)) -}}
{{- end -}}
