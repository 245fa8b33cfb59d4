{{/*
Credentials. Order of precedence for each value:
  1. the value the user set in values (validated by values.schema.json),
  2. the value already stored in the chart's Secret in the cluster (kept across `helm upgrade` via lookup),
  3. a new random 32-character alphanumeric string (first install).
`helm template` has no cluster, so every render generates fresh values; a real install keeps them.
*/}}
{{- define "hnm.secretValue" -}}
{{- $existing := lookup "v1" "Secret" .namespace .name -}}
{{- if .value -}}
{{- .value -}}
{{- else if and $existing (hasKey ($existing.data | default dict) .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 32 -}}
{{- end -}}
{{- end -}}

{{/* An external database's Secret is the one its `external.existingSecret` names, with the password under key `password`. */}}
{{- define "hnm.mysqlSecretName" -}}
{{- if .Values.mysql.external.enabled -}}
{{- .Values.mysql.external.existingSecret -}}
{{- else -}}
{{- .Values.mysql.auth.existingSecret | default (include "hnm.name" (dict "root" . "component" "mysql-credentials")) -}}
{{- end -}}
{{- end -}}
{{- define "hnm.mysqlSecretKey" -}}
{{- if .Values.mysql.external.enabled }}password{{ else }}root-password{{ end -}}
{{- end -}}
{{- define "hnm.clickhouseSecretName" -}}
{{- if .Values.clickhouse.external.enabled -}}
{{- .Values.clickhouse.external.existingSecret -}}
{{- else -}}
{{- .Values.clickhouse.auth.existingSecret | default (include "hnm.name" (dict "root" . "component" "clickhouse-credentials")) -}}
{{- end -}}
{{- end -}}
{{- define "hnm.grafanaSecretName" -}}
{{- .Values.grafana.admin.existingSecret | default (include "hnm.name" (dict "root" . "component" "grafana-admin")) -}}
{{- end -}}
