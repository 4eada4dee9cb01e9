{{/*
Secret holding JWT_SECRET (and OPENAI_API_KEY when given): an existing one or the chart's.
*/}}
{{- define "todo-list-hackathon.appSecretName" -}}
{{- .Values.secrets.existingSecret | default (include "todo-list-hackathon.fullname" .) -}}
{{- end -}}

{{/*
Secret and key holding the database URL: an existing Secret, or the chart's own, which holds a
URL built for the in-cluster PostgreSQL or taken from externalDatabase.url.
*/}}
{{- define "todo-list-hackathon.databaseSecretName" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecret -}}
{{- else -}}
{{- include "todo-list-hackathon.fullname" . -}}
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.databaseSecretKey" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecretKey -}}
{{- else -}}
DATABASE_URL
{{- end -}}
{{- end -}}

{{/*
Data of the chart's Secret, as plain KEY: "value" lines (empty when existing Secrets hold
everything). A generated value is read back from the Secret of the running release, so an
upgrade keeps it; `helm template` cannot look it up and shows a fresh one each time.
*/}}
{{- define "todo-list-hackathon.secretData" -}}
{{- $current := (lookup "v1" "Secret" .Release.Namespace (include "todo-list-hackathon.fullname" .)).data | default dict -}}
{{- if not .Values.secrets.existingSecret }}
JWT_SECRET: {{ .Values.secrets.jwtSecret | default (get $current "JWT_SECRET" | b64dec) | default (randAlphaNum 48) | quote }}
{{- with .Values.secrets.openaiApiKey }}
OPENAI_API_KEY: {{ . | quote }}
{{- end }}
{{- end }}
{{- if .Values.postgresql.enabled }}
{{- $auth := .Values.postgresql.auth }}
{{- $password := $auth.password | default (get $current "POSTGRES_PASSWORD" | b64dec) | default (randAlphaNum 32) }}
POSTGRES_PASSWORD: {{ $password | quote }}
DATABASE_URL: {{ printf "postgresql://%s:%s@%s:5432/%s" (urlquery $auth.username) (urlquery $password) (include "todo-list-hackathon.componentFullname" (dict "context" . "component" "postgresql")) (urlquery $auth.database) | quote }}
{{- else if not .Values.externalDatabase.existingSecret }}
DATABASE_URL: {{ .Values.externalDatabase.url | quote }}
{{- end }}
{{- end -}}

{{/*
The values the chart's Secret is made from. Pods that read Secrets carry a checksum of these,
not of the rendered Secret, so that generated values (stable in a cluster, fresh in every
`helm template`) do not roll pods.
*/}}
{{- define "todo-list-hackathon.secretInputs" -}}
{{- toJson (dict "secrets" .Values.secrets "externalDatabase" .Values.externalDatabase "postgresql" (dict "enabled" .Values.postgresql.enabled "auth" .Values.postgresql.auth)) -}}
{{- end -}}
