{{/*
Rules values.schema.json cannot express: settings that contradict each other. Every broken rule
adds one line "<key>: <problem>. Set <fix>." and the render stops once with all of them, so a
user fixes their values in one pass.
*/}}
{{- define "todo-list-hackathon.validateValues" -}}
{{- $problems := list -}}
{{- range $component := list "backend" "frontend" "postgresql" "tests" -}}
{{- $image := (index $.Values $component).image -}}
{{- if eq $image.tag "latest" -}}
{{- $problems = append $problems (printf "%s.image.tag: \"latest\" moves, so a rollback would not bring back the old image. Set a version tag or %s.image.digest." $component $component) -}}
{{- end -}}
{{- if and (has $component (list "postgresql" "tests")) (not $image.tag) (not $image.digest) -}}
{{- $problems = append $problems (printf "%s.image.tag: empty, and this image has no chart default. Set %s.image.tag or %s.image.digest." $component $component $component) -}}
{{- end -}}
{{- end -}}
{{- range $component := list "backend" "frontend" -}}
{{- $values := index $.Values $component -}}
{{- $needed := add $values.shutdown.preStopSeconds $values.shutdown.drainSeconds 5 -}}
{{- if lt (int $values.terminationGracePeriodSeconds) (int $needed) -}}
{{- $problems = append $problems (printf "%s.terminationGracePeriodSeconds: %v does not cover the preStop pause (%v s), the drain (%v s) and 5 s of margin. Set it to at least %v." $component $values.terminationGracePeriodSeconds $values.shutdown.preStopSeconds $values.shutdown.drainSeconds $needed) -}}
{{- end -}}
{{- $autoscaling := $values.autoscaling -}}
{{- if and $autoscaling.enabled (lt (int $autoscaling.maxReplicas) (int $autoscaling.minReplicas)) -}}
{{- $problems = append $problems (printf "%s.autoscaling.maxReplicas: %v is below minReplicas (%v). Set %s.autoscaling.maxReplicas >= %s.autoscaling.minReplicas." $component $autoscaling.maxReplicas $autoscaling.minReplicas $component $component) -}}
{{- end -}}
{{- if and $autoscaling.enabled (not (dig "requests" "cpu" "" $values.resources)) -}}
{{- $problems = append $problems (printf "%s.resources.requests.cpu: empty, but the autoscaler scales on CPU use relative to the request. Set %s.resources.requests.cpu." $component $component) -}}
{{- end -}}
{{- $fewestPods := ternary $autoscaling.minReplicas $values.replicaCount $autoscaling.enabled -}}
{{- if and $values.podDisruptionBudget.enabled (lt (int $fewestPods) 2) -}}
{{- $problems = append $problems (printf "%s.podDisruptionBudget.enabled: true with only %v replica, which would block every node drain. Set %s.replicaCount (or %s.autoscaling.minReplicas) to 2 or more, or disable it." $component $fewestPods $component $component) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) -}}
{{- $problems = append $problems "ingress.host: empty while ingress.enabled is true. Set ingress.host to the public host name." -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- $problems = append $problems "ingress.tls.secretName: empty while ingress.tls.enabled is true. Set ingress.tls.secretName to the Secret holding the certificate." -}}
{{- end -}}
{{- if and .Values.secrets.jwtSecret (lt (len .Values.secrets.jwtSecret) 32) -}}
{{- $problems = append $problems (printf "secrets.jwtSecret: %d characters is too short to sign tokens safely. Set at least 32 characters, or leave it empty to have one generated." (len .Values.secrets.jwtSecret)) -}}
{{- end -}}
{{- if and .Values.secrets.existingSecret (or .Values.secrets.jwtSecret .Values.secrets.openaiApiKey) -}}
{{- $problems = append $problems "secrets.existingSecret: set together with secrets.jwtSecret or secrets.openaiApiKey, which would be ignored. Set only one of them." -}}
{{- end -}}
{{- if and .Values.postgresql.enabled (or .Values.externalDatabase.existingSecret .Values.externalDatabase.url) -}}
{{- $problems = append $problems "postgresql.enabled: true while externalDatabase is configured too; the backend can use only one. Set postgresql.enabled=false or clear externalDatabase." -}}
{{- end -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.externalDatabase.existingSecret) (not .Values.externalDatabase.url) -}}
{{- $problems = append $problems "externalDatabase: no database configured. Set externalDatabase.existingSecret (or externalDatabase.url), or postgresql.enabled=true." -}}
{{- end -}}
{{- if eq .Values.environment "production" -}}
{{- if not .Values.secrets.existingSecret -}}
{{- $problems = append $problems "secrets.existingSecret: empty, but production takes secrets only from an existing Secret. Set secrets.existingSecret to a Secret with the key JWT_SECRET." -}}
{{- end -}}
{{- $secretValues := dict "secrets.jwtSecret" .Values.secrets.jwtSecret "secrets.openaiApiKey" .Values.secrets.openaiApiKey "externalDatabase.url" .Values.externalDatabase.url "postgresql.auth.password" .Values.postgresql.auth.password -}}
{{- range $key, $value := $secretValues -}}
{{- if $value -}}
{{- $problems = append $problems (printf "%s: production values must not carry secret values. Set it to \"\" and put the value in the Secret named by secrets.existingSecret or externalDatabase.existingSecret." $key) -}}
{{- end -}}
{{- end -}}
{{- if .Values.postgresql.enabled -}}
{{- $problems = append $problems "postgresql.enabled: the in-cluster PostgreSQL (one replica, generated password) is for local and test installs. Set postgresql.enabled=false and externalDatabase.existingSecret." -}}
{{- else if not .Values.externalDatabase.existingSecret -}}
{{- $problems = append $problems "externalDatabase.existingSecret: empty, but production takes the database URL only from an existing Secret. Set externalDatabase.existingSecret." -}}
{{- end -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nVALUES VALIDATION:\n%s" (join "\n" $problems)) -}}
{{- end -}}
{{- end -}}
