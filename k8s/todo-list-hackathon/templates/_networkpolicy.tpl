{{/*
Egress rules of the pods that talk to the database: the backend and the migration Job.
*/}}
{{- define "todo-list-hackathon.networkPolicy.databaseEgress" -}}
{{- if .Values.postgresql.enabled }}
- to:
    - podSelector:
        matchLabels:
          {{- include "todo-list-hackathon.selectorLabels" (dict "context" . "component" "postgresql") | nindent 10 }}
  ports:
    - port: 5432
      protocol: TCP
{{- end }}
{{- with .Values.networkPolicy.backendExtraEgress }}
{{ toYaml . }}
{{- end }}
{{- end -}}
