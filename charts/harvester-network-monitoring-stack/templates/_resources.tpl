{{/*
Resource presets per sizing.profile. "small" fits a 3-node Harvester lab next to its VMs; "medium" a busier
production cluster. The agent limits match DeepFlow's own agent defaults (1 CPU, 768 MiB) and are also pushed
into the agent-group configuration (global.limits) so the agent throttles itself before the kernel kills it.
*/}}
{{- define "hnm.resourcePresets" -}}
small:
  agent:            {requests: {cpu: 100m, memory: 256Mi}, limits: {cpu: 1000m, memory: 768Mi}}
  agentInit:        {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 32Mi}}
  watcher:          {requests: {cpu: 50m, memory: 128Mi}, limits: {cpu: 500m, memory: 768Mi}}
  server:           {requests: {cpu: 250m, memory: 512Mi}, limits: {cpu: 1000m, memory: 2Gi}}
  serverInit:       {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 32Mi}}
  clickhouse:       {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: 2000m, memory: 4Gi}}
  mysql:            {requests: {cpu: 100m, memory: 512Mi}, limits: {cpu: 1000m, memory: 1Gi}}
  grafana:          {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 512Mi}}
  grafanaProxy:     {requests: {cpu: 20m, memory: 32Mi}, limits: {cpu: 200m, memory: 128Mi}}
  grafanaInit:      {requests: {cpu: 10m, memory: 32Mi}, limits: {cpu: 200m, memory: 128Mi}}
  configurator:     {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
medium:
  agent:            {requests: {cpu: 200m, memory: 512Mi}, limits: {cpu: 2000m, memory: 1536Mi}}
  agentInit:        {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 32Mi}}
  watcher:          {requests: {cpu: 100m, memory: 256Mi}, limits: {cpu: 1000m, memory: 1536Mi}}
  server:           {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: 2000m, memory: 4Gi}}
  serverInit:       {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 32Mi}}
  clickhouse:       {requests: {cpu: 1000m, memory: 2Gi}, limits: {cpu: 4000m, memory: 8Gi}}
  mysql:            {requests: {cpu: 200m, memory: 1Gi}, limits: {cpu: 1000m, memory: 2Gi}}
  grafana:          {requests: {cpu: 200m, memory: 256Mi}, limits: {cpu: 1000m, memory: 1Gi}}
  grafanaProxy:     {requests: {cpu: 50m, memory: 64Mi}, limits: {cpu: 500m, memory: 256Mi}}
  grafanaInit:      {requests: {cpu: 10m, memory: 32Mi}, limits: {cpu: 200m, memory: 128Mi}}
  configurator:     {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
{{- end -}}

{{/* Resources of one container: the user's override when non-empty, else the preset. */}}
{{- define "hnm.resources" -}}
{{- $presets := include "hnm.resourcePresets" . | fromYaml -}}
{{- $profile := index $presets .root.Values.sizing.profile -}}
{{- if .override -}}
{{- toYaml .override -}}
{{- else -}}
{{- toYaml (index $profile .preset) -}}
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
