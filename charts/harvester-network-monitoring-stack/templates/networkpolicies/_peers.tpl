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
