{{/*
ConfigMap data of the frontend: where its nginx proxies /api/ and the /api/ws WebSocket.
*/}}
{{- define "todo-list-hackathon.frontend.config" -}}
BACKEND_URL: {{ printf "http://%s:%v" (include "todo-list-hackathon.componentFullname" (dict "context" . "component" "backend")) .Values.backend.service.port | quote }}
{{- end -}}

{{/*
The frontend reads no Secret.
*/}}
{{- define "todo-list-hackathon.frontend.secretEnv" -}}
{{- end -}}
