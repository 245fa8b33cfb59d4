{{/* NetworkPolicy building blocks. */}}

{{/* One ipBlock peer per CIDR. */}}
{{- define "hnm.np.ipBlocks" -}}
{{- range $i, $cidr := . }}
{{- if $i }}{{ "\n" }}{{ end -}}
- ipBlock:
    cidr: {{ $cidr }}
{{- end }}
{{- end -}}

{{/* A pod of this release in the same namespace, by component. */}}
{{- define "hnm.np.component" -}}
- podSelector:
    matchLabels:
      {{- include "hnm.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* TCP ports. */}}
{{- define "hnm.np.tcpPorts" -}}
{{- range $i, $port := . }}
{{- if $i }}{{ "\n" }}{{ end -}}
- protocol: TCP
  port: {{ $port }}
{{- end }}
{{- end -}}

{{- define "hnm.np.apiServerCIDRs" -}}
{{- toJson (.Values.networkPolicy.apiServerCIDRs | default .Values.networkPolicy.nodeCIDRs) -}}
{{- end -}}

{{- define "hnm.np.kubeAPIServerCIDRs" -}}
{{- toJson (.Values.networkPolicy.kubeAPIServerCIDRs | default (include "hnm.np.apiServerCIDRs" . | fromJsonArray)) -}}
{{- end -}}

{{/* Egress to cluster DNS, shared by every pod that resolves Service names. */}}
{{- define "hnm.np.dnsEgress" -}}
- to:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.dns.namespaceSelector | nindent 10 }}
      podSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.dns.podSelector | nindent 10 }}
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end -}}

{{/* The single-address CIDR of an IP address: /128 for IPv6, /32 for IPv4. */}}
{{- define "hnm.np.hostCIDR" -}}
{{- if contains ":" . }}{{ printf "%s/128" . }}{{ else }}{{ printf "%s/32" . }}{{ end -}}
{{- end -}}

{{/*
Egress rules to the databases: the chart's own pods, or the external addresses (one rule per ClickHouse node, as
its port may differ; the MySQL CIDRs of hnm.mysqlExternalCIDRs). Traffic to the ClickHouse Service is matched
after the Service's address is translated to the node's, so the node's own address is what has to be allowed.
*/}}
{{- define "hnm.np.mysqlEgress" -}}
{{- if .Values.mysql.external.enabled -}}
- to:
    {{- include "hnm.np.ipBlocks" (include "hnm.mysqlExternalCIDRs" . | fromJsonArray) | nindent 4 }}
  ports:
    {{- include "hnm.np.tcpPorts" (list .Values.mysql.external.port) | nindent 4 }}
{{- else -}}
- to:
    {{- include "hnm.np.component" (dict "root" . "component" "mysql") | nindent 4 }}
  ports:
    {{- include "hnm.np.tcpPorts" (list (include "hnm.port.mysql" .)) | nindent 4 }}
{{- end -}}
{{- end -}}

{{- define "hnm.np.clickhouseEgress" -}}
{{- if .Values.clickhouse.external.enabled -}}
{{- range $i, $h := .Values.clickhouse.external.hosts }}
{{- if $i }}{{ "\n" }}{{ end -}}
- to:
    - ipBlock:
        cidr: {{ include "hnm.np.hostCIDR" $h.ip }}
  ports:
    {{- include "hnm.np.tcpPorts" (list ($h.port | default 9000)) | nindent 4 }}
{{- end }}
{{- else -}}
- to:
    {{- include "hnm.np.component" (dict "root" . "component" "clickhouse") | nindent 4 }}
  ports:
    {{- include "hnm.np.tcpPorts" (list (include "hnm.port.clickhouseTcp" .)) | nindent 4 }}
{{- end -}}
{{- end -}}
