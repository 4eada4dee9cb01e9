{{/*
ConfigMap data of the frontend: where its nginx proxies /api/ and the /api/ws WebSocket, and how
long it drains after its stop signal (nginx's worker_shutdown_timeout).
*/}}
{{- define "todo-list-hackathon.frontend.config" -}}
BACKEND_URL: {{ printf "http://%s:%v" (include "todo-list-hackathon.componentFullname" (dict "context" . "component" "backend")) .Values.backend.service.port | quote }}
SHUTDOWN_GRACE_SECONDS: {{ .Values.frontend.shutdown.drainSeconds | quote }}
{{- end -}}

{{/*
The frontend reads no Secret.
*/}}
{{- define "todo-list-hackathon.frontend.secretEnv" -}}
{{- end -}}
