{{/*
Resource presets per sizing.profile. "small" fits a 3-node Harvester lab next to its VMs; "medium" a busier
production cluster. Every container requests and limits ephemeral-storage (its logs, writable layer and
emptyDirs: kubelet evicts a pod that exceeds its limit instead of letting it fill the node's disk); Grafana's
includes the plugins its init containers copy into an emptyDir. The agent limits match DeepFlow's own agent defaults (1 CPU, 768 MiB) and are also pushed
into the agent-group configuration (global.limits) so the agent throttles itself before the kernel kills it.
*/}}
{{- define "hnm.resourcePresets" -}}
small:
  agent:            {requests: {cpu: 100m, memory: 256Mi, ephemeral-storage: 128Mi}, limits: {cpu: 1000m, memory: 768Mi, ephemeral-storage: 1Gi}}
  agentInit:        {requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 32Mi, ephemeral-storage: 64Mi}}
  watcher:          {requests: {cpu: 50m, memory: 128Mi, ephemeral-storage: 64Mi}, limits: {cpu: 500m, memory: 768Mi, ephemeral-storage: 512Mi}}
  server:           {requests: {cpu: 250m, memory: 512Mi, ephemeral-storage: 256Mi}, limits: {cpu: 1000m, memory: 2Gi, ephemeral-storage: 2Gi}}
  serverInit:       {requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 32Mi, ephemeral-storage: 64Mi}}
  clickhouse:       {requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 256Mi}, limits: {cpu: 2000m, memory: 4Gi, ephemeral-storage: 4Gi}}
  mysql:            {requests: {cpu: 100m, memory: 512Mi, ephemeral-storage: 128Mi}, limits: {cpu: 1000m, memory: 1Gi, ephemeral-storage: 1Gi}}
  grafana:          {requests: {cpu: 100m, memory: 128Mi, ephemeral-storage: 256Mi}, limits: {cpu: 500m, memory: 512Mi, ephemeral-storage: 2Gi}}
  grafanaProxy:     {requests: {cpu: 20m, memory: 32Mi, ephemeral-storage: 16Mi}, limits: {cpu: 200m, memory: 128Mi, ephemeral-storage: 512Mi}}
  grafanaInit:      {requests: {cpu: 10m, memory: 32Mi, ephemeral-storage: 16Mi}, limits: {cpu: 200m, memory: 128Mi, ephemeral-storage: 64Mi}}
  configurator:     {requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 64Mi, ephemeral-storage: 64Mi}}
  agentStateProxy:  {requests: {cpu: 5m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 64Mi, ephemeral-storage: 128Mi}}
medium:
  agent:            {requests: {cpu: 200m, memory: 512Mi, ephemeral-storage: 128Mi}, limits: {cpu: 2000m, memory: 1536Mi, ephemeral-storage: 1Gi}}
  agentInit:        {requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 32Mi, ephemeral-storage: 64Mi}}
  watcher:          {requests: {cpu: 100m, memory: 256Mi, ephemeral-storage: 64Mi}, limits: {cpu: 1000m, memory: 1536Mi, ephemeral-storage: 512Mi}}
  server:           {requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 256Mi}, limits: {cpu: 2000m, memory: 4Gi, ephemeral-storage: 2Gi}}
  serverInit:       {requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 32Mi, ephemeral-storage: 64Mi}}
  clickhouse:       {requests: {cpu: 1000m, memory: 2Gi, ephemeral-storage: 256Mi}, limits: {cpu: 4000m, memory: 8Gi, ephemeral-storage: 4Gi}}
  mysql:            {requests: {cpu: 200m, memory: 1Gi, ephemeral-storage: 128Mi}, limits: {cpu: 1000m, memory: 2Gi, ephemeral-storage: 1Gi}}
  grafana:          {requests: {cpu: 200m, memory: 256Mi, ephemeral-storage: 256Mi}, limits: {cpu: 1000m, memory: 1Gi, ephemeral-storage: 2Gi}}
  grafanaProxy:     {requests: {cpu: 50m, memory: 64Mi, ephemeral-storage: 16Mi}, limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 512Mi}}
  grafanaInit:      {requests: {cpu: 10m, memory: 32Mi, ephemeral-storage: 16Mi}, limits: {cpu: 200m, memory: 128Mi, ephemeral-storage: 64Mi}}
  configurator:     {requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 64Mi, ephemeral-storage: 64Mi}}
  agentStateProxy:  {requests: {cpu: 5m, memory: 16Mi, ephemeral-storage: 16Mi}, limits: {cpu: 100m, memory: 64Mi, ephemeral-storage: 128Mi}}
{{- end -}}

{{/*
Resources of one container: the user's override when non-empty, else the preset. An override without
ephemeral-storage keeps the preset's, so every container always has one.
*/}}
{{- define "hnm.resources" -}}
{{- $presets := include "hnm.resourcePresets" . | fromYaml -}}
{{- $profile := index $presets .root.Values.sizing.profile -}}
{{- $preset := index $profile .preset -}}
{{- if .override -}}
{{- $out := deepCopy .override -}}
{{- range $kind := list "requests" "limits" -}}
{{- $part := index $out $kind | default dict -}}
{{- if not (hasKey $part "ephemeral-storage") -}}
{{- $_ := set $part "ephemeral-storage" (index $preset $kind "ephemeral-storage") -}}
{{- end -}}
{{- $_ := set $out $kind $part -}}
{{- end -}}
{{- toYaml $out -}}
{{- else -}}
{{- toYaml $preset -}}
{{- end -}}
{{- end -}}

{{/* Agent self-limits for DeepFlow's agent-group config, derived from the agent container limits. */}}
{{- define "hnm.agentLimitsMiB" -}}
{{- $res := include "hnm.resources" (dict "root" . "override" .Values.agent.resources "preset" "agent") | fromYaml -}}
{{- $mem := toString (default "768Mi" (dig "limits" "memory" "" $res)) -}}
{{- if hasSuffix "Gi" $mem -}}{{ mul (trimSuffix "Gi" $mem | int) 1024 }}
{{- else if hasSuffix "Mi" $mem -}}{{ trimSuffix "Mi" $mem | int }}
{{- else -}}768
{{- end -}}
{{- end -}}

{{- define "hnm.agentLimitsMillicpu" -}}
{{- $res := include "hnm.resources" (dict "root" . "override" .Values.agent.resources "preset" "agent") | fromYaml -}}
{{- $cpu := toString (default "1000m" (dig "limits" "cpu" "" $res)) -}}
{{- if hasSuffix "m" $cpu -}}{{ trimSuffix "m" $cpu | int }}
{{- else -}}{{ mulf ($cpu | float64) 1000 | int }}
{{- end -}}
{{- end -}}
