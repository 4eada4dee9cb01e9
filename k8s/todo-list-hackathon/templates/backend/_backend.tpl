{{/*
ConfigMap data of the backend. The migration Job reads the same settings as env entries.
*/}}
{{- define "todo-list-hackathon.backend.config" -}}
ENVIRONMENT: {{ .Values.environment | quote }}
LOG_LEVEL: {{ .Values.backend.config.logLevel | quote }}
OPENAI_BASE_URL: {{ .Values.backend.config.openaiBaseUrl | quote }}
OPENAI_MODEL: {{ .Values.backend.config.openaiModel | quote }}
SHUTDOWN_GRACE_SECONDS: {{ .Values.backend.shutdown.drainSeconds | quote }}
MIGRATE_ON_START: "false"
{{- end -}}

{{/*
Settings of the ConfigMap that an existing app Secret may override (see secretEnv): `make up`
puts the user's OPENAI_* there, since a base URL may carry credentials too.
*/}}
{{- define "todo-list-hackathon.backend.secretOverrides" -}}
{{- if .Values.secrets.existingSecret -}}OPENAI_BASE_URL OPENAI_MODEL{{- end -}}
{{- end -}}

{{/*
The backend's env entries read from Secrets: the chart's own Secret or the existing ones the
values name.
*/}}
{{- define "todo-list-hackathon.backend.secretEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-list-hackathon.databaseSecretName" . }}
      key: {{ include "todo-list-hackathon.databaseSecretKey" . }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-list-hackathon.appSecretName" . }}
      key: JWT_SECRET
{{- if .Values.secrets.existingSecret }}
- name: OPENAI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: OPENAI_API_KEY
      # Without the key the chatbot runs without its AI features rather than not at all.
      optional: true
{{- range include "todo-list-hackathon.backend.secretOverrides" $ | splitList " " }}
# When the Secret has it, it overrides the ConfigMap's value (backend.config); when not, the
# ConfigMap's stands.
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret }}
      key: {{ . }}
      optional: true
{{- end }}
{{- else if .Values.secrets.openaiApiKey }}
- name: OPENAI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-list-hackathon.fullname" . }}
      key: OPENAI_API_KEY
{{- end }}
{{- end -}}

{{/*
When the migration Job runs. A pre-install hook runs before any object of the release exists,
so it may only read Secrets that exist already; when the chart itself creates the database or a
Secret the Job reads, the first migration runs after install instead.
*/}}
{{- define "todo-list-hackathon.migration.hook" -}}
{{- if and .Values.externalDatabase.existingSecret .Values.secrets.existingSecret -}}
pre-install,pre-upgrade
{{- else -}}
post-install,pre-upgrade
{{- end -}}
{{- end -}}
