{{/*
Rules values.schema.json cannot express: settings that contradict each other. One define per
rule (bitnami's layout), each taking the root context and printing one line
"<key>: <problem>. Set <fix>." per broken case, or nothing. The aggregate stops the render once
with all of them, so a user fixes their values in one pass.
*/}}
{{- define "todo-list-hackathon.validateValues" -}}
{{- $problems := list
    (include "todo-list-hackathon.validateValues.imageTagNotLatest" .)
    (include "todo-list-hackathon.validateValues.imageTagRequired" .)
    (include "todo-list-hackathon.validateValues.terminationGracePeriod" .)
    (include "todo-list-hackathon.validateValues.autoscalingReplicaRange" .)
    (include "todo-list-hackathon.validateValues.autoscalingCpuRequest" .)
    (include "todo-list-hackathon.validateValues.disruptionBudgetReplicas" .)
    (include "todo-list-hackathon.validateValues.podLabels" .)
    (include "todo-list-hackathon.validateValues.httpRouteParent" .)
    (include "todo-list-hackathon.validateValues.ingressHost" .)
    (include "todo-list-hackathon.validateValues.ingressTlsSecret" .)
    (include "todo-list-hackathon.validateValues.jwtSecretLength" .)
    (include "todo-list-hackathon.validateValues.oneAppSecretSource" .)
    (include "todo-list-hackathon.validateValues.oneDatabase" .)
    (include "todo-list-hackathon.validateValues.someDatabase" .)
    (include "todo-list-hackathon.validateValues.productionAppSecret" .)
    (include "todo-list-hackathon.validateValues.productionSecretValues" .)
    (include "todo-list-hackathon.validateValues.productionNoInClusterDatabase" .)
    (include "todo-list-hackathon.validateValues.productionDatabaseSecret" .)
-}}
{{- $problems = without $problems "" -}}
{{- if $problems -}}
{{- fail (printf "\n\nVALUES VALIDATION:\n%s" (join "\n" $problems)) -}}
{{- end -}}
{{- end -}}

{{/*
A moving tag would make a rollback bring back whatever the tag points at now.
*/}}
{{- define "todo-list-hackathon.validateValues.imageTagNotLatest" -}}
{{- $problems := list -}}
{{- range $component := list "backend" "frontend" "postgresql" "tests" -}}
{{- if eq (index $.Values $component).image.tag "latest" -}}
{{- $problems = append $problems (printf "%s.image.tag: \"latest\" moves, so a rollback would not bring back the old image. Set a version tag or %s.image.digest." $component $component) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{/*
The backend and frontend images default to the chart's appVersion; these two have no default.
*/}}
{{- define "todo-list-hackathon.validateValues.imageTagRequired" -}}
{{- $problems := list -}}
{{- range $component := list "postgresql" "tests" -}}
{{- $image := (index $.Values $component).image -}}
{{- if and (not $image.tag) (not $image.digest) -}}
{{- $problems = append $problems (printf "%s.image.tag: empty, and this image has no chart default. Set %s.image.tag or %s.image.digest." $component $component $component) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{/*
A grace period shorter than the preStop pause plus the drain kills requests in flight.
*/}}
{{- define "todo-list-hackathon.validateValues.terminationGracePeriod" -}}
{{- $problems := list -}}
{{- range $component := list "backend" "frontend" -}}
{{- $values := index $.Values $component -}}
{{- $needed := add $values.shutdown.preStopSeconds $values.shutdown.drainSeconds 5 -}}
{{- if lt (int $values.terminationGracePeriodSeconds) (int $needed) -}}
{{- $problems = append $problems (printf "%s.terminationGracePeriodSeconds: %v does not cover the preStop pause (%v s), the drain (%v s) and 5 s of margin. Set it to at least %v." $component $values.terminationGracePeriodSeconds $values.shutdown.preStopSeconds $values.shutdown.drainSeconds $needed) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.autoscalingReplicaRange" -}}
{{- $problems := list -}}
{{- range $component := list "backend" "frontend" -}}
{{- $autoscaling := (index $.Values $component).autoscaling -}}
{{- if and $autoscaling.enabled (lt (int $autoscaling.maxReplicas) (int $autoscaling.minReplicas)) -}}
{{- $problems = append $problems (printf "%s.autoscaling.maxReplicas: %v is below minReplicas (%v). Set %s.autoscaling.maxReplicas >= %s.autoscaling.minReplicas." $component $autoscaling.maxReplicas $autoscaling.minReplicas $component $component) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{/*
The autoscaler scales on CPU use as a share of the request: without one it has nothing to go by.
*/}}
{{- define "todo-list-hackathon.validateValues.autoscalingCpuRequest" -}}
{{- $problems := list -}}
{{- range $component := list "backend" "frontend" -}}
{{- $values := index $.Values $component -}}
{{- if and $values.autoscaling.enabled (not (dig "requests" "cpu" "" $values.resources)) -}}
{{- $problems = append $problems (printf "%s.resources.requests.cpu: empty, but the autoscaler scales on CPU use relative to the request. Set %s.resources.requests.cpu." $component $component) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{/*
A budget of one unavailable pod over a single replica blocks every node drain.
*/}}
{{- define "todo-list-hackathon.validateValues.disruptionBudgetReplicas" -}}
{{- $problems := list -}}
{{- range $component := list "backend" "frontend" -}}
{{- $values := index $.Values $component -}}
{{- $fewestPods := ternary $values.autoscaling.minReplicas $values.replicaCount $values.autoscaling.enabled -}}
{{- if and $values.podDisruptionBudget.enabled (lt (int $fewestPods) 2) -}}
{{- $problems = append $problems (printf "%s.podDisruptionBudget.enabled: true with only %v replica, which would block every node drain. Set %s.replicaCount (or %s.autoscaling.minReplicas) to 2 or more, or disable it." $component $fewestPods $component $component) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{/*
Extra pod labels add to the chart's own and may not replace one: Services, selectors and
NetworkPolicies select pods by them, and a selector cannot change after install.
*/}}
{{- define "todo-list-hackathon.validateValues.podLabels" -}}
{{- $problems := list -}}
{{- $own := include "todo-list-hackathon.labels" (dict "context" . "component" "any") | fromYaml -}}
{{- $sources := dict "backend" .Values.backend.podLabels "backend.migration" .Values.backend.migration.podLabels "frontend" .Values.frontend.podLabels "postgresql" .Values.postgresql.podLabels "tests" .Values.tests.podLabels -}}
{{- range $values, $labels := $sources -}}
{{- $clashes := list -}}
{{- range $label, $_ := $labels -}}
{{- if hasKey $own $label -}}
{{- $clashes = append $clashes $label -}}
{{- end -}}
{{- end -}}
{{- if $clashes -}}
{{- $problems = append $problems (printf "%s.podLabels: %s, set by the chart on every pod, cannot be replaced. Set only other label keys." $values (join ", " $clashes)) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}

{{/*
An HTTPRoute attached to no Gateway is accepted by the API server and serves nothing.
*/}}
{{- define "todo-list-hackathon.validateValues.httpRouteParent" -}}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) -}}
httpRoute.parentRefs: empty while httpRoute.enabled is true. Set httpRoute.parentRefs to the Gateway the route attaches to, e.g. [{name: public-gateway, namespace: gateway-system}].
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.ingressHost" -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) -}}
ingress.host: empty while ingress.enabled is true. Set ingress.host to the public host name.
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.ingressTlsSecret" -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
ingress.tls.secretName: empty while ingress.tls.enabled is true. Set ingress.tls.secretName to the Secret holding the certificate.
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.jwtSecretLength" -}}
{{- if and .Values.secrets.jwtSecret (lt (len .Values.secrets.jwtSecret) 32) -}}
{{- printf "secrets.jwtSecret: %d characters is too short to sign tokens safely. Set at least 32 characters, or leave it empty to have one generated." (len .Values.secrets.jwtSecret) -}}
{{- end -}}
{{- end -}}

{{/*
With an existing Secret the backend reads the keys from it and ignores the inline ones.
*/}}
{{- define "todo-list-hackathon.validateValues.oneAppSecretSource" -}}
{{- if and .Values.secrets.existingSecret (or .Values.secrets.jwtSecret .Values.secrets.openaiApiKey) -}}
secrets.existingSecret: set together with secrets.jwtSecret or secrets.openaiApiKey, which would be ignored. Set only one of them.
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.oneDatabase" -}}
{{- if and .Values.postgresql.enabled (or .Values.externalDatabase.existingSecret .Values.externalDatabase.url) -}}
postgresql.enabled: true while externalDatabase is configured too; the backend can use only one. Set postgresql.enabled=false or clear externalDatabase.
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.someDatabase" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.externalDatabase.existingSecret) (not .Values.externalDatabase.url) -}}
externalDatabase: no database configured. Set externalDatabase.existingSecret (or externalDatabase.url), or postgresql.enabled=true.
{{- end -}}
{{- end -}}

{{/*
The production rules: secrets only from Secrets created beforehand, and no in-cluster database.
*/}}
{{- define "todo-list-hackathon.validateValues.productionAppSecret" -}}
{{- if and (eq .Values.environment "production") (not .Values.secrets.existingSecret) -}}
secrets.existingSecret: empty, but production takes secrets only from an existing Secret. Set secrets.existingSecret to a Secret with the key JWT_SECRET.
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.productionSecretValues" -}}
{{- if eq .Values.environment "production" -}}
{{- $problems := list -}}
{{- $secretValues := dict "secrets.jwtSecret" .Values.secrets.jwtSecret "secrets.openaiApiKey" .Values.secrets.openaiApiKey "externalDatabase.url" .Values.externalDatabase.url "postgresql.auth.password" .Values.postgresql.auth.password -}}
{{- range $key, $value := $secretValues -}}
{{- if $value -}}
{{- $problems = append $problems (printf "%s: production values must not carry secret values. Set it to \"\" and put the value in the Secret named by secrets.existingSecret or externalDatabase.existingSecret." $key) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $problems -}}
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.validateValues.productionNoInClusterDatabase" -}}
{{- if and (eq .Values.environment "production") .Values.postgresql.enabled -}}
postgresql.enabled: the in-cluster PostgreSQL (one replica, generated password) is for local and test installs. Set postgresql.enabled=false and externalDatabase.existingSecret.
{{- end -}}
{{- end -}}

{{/*
Only asked once the in-cluster database is off: with it on, the rule above already says what to set.
*/}}
{{- define "todo-list-hackathon.validateValues.productionDatabaseSecret" -}}
{{- if and (eq .Values.environment "production") (not .Values.postgresql.enabled) (not .Values.externalDatabase.existingSecret) -}}
externalDatabase.existingSecret: empty, but production takes the database URL only from an existing Secret. Set externalDatabase.existingSecret.
{{- end -}}
{{- end -}}
