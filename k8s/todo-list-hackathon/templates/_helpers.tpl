{{/*
Helpers that take a dict find the root context under the key `context`, as bitnami's common
chart's do, so the call sites read the same as in most charts.
*/}}

{{/*
Chart name, cut to 63 characters: the limit of a DNS label and of a label value.
*/}}
{{- define "todo-list-hackathon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Prefix of every object name. The release name alone when it already contains the chart name,
so `helm install todo-list-hackathon` does not produce todo-list-hackathon-todo-list-hackathon.
*/}}
{{- define "todo-list-hackathon.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Name of one component's objects. Takes a dict: context (the root context), component.
The full name is cut to leave room for the component, so the suffix never gets lost.
*/}}
{{- define "todo-list-hackathon.componentFullname" -}}
{{- $prefix := include "todo-list-hackathon.fullname" .context | trunc (int (sub 62 (len .component))) | trimSuffix "-" -}}
{{- printf "%s-%s" $prefix .component -}}
{{- end -}}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "todo-list-hackathon.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Labels of every object. Takes a dict: context and component; objects that serve the whole release
(the ServiceAccount, the Secret, NetworkPolicies) pass no component and carry no component label.
*/}}
{{- define "todo-list-hackathon.labels" -}}
helm.sh/chart: {{ include "todo-list-hackathon.chart" .context }}
{{ include "todo-list-hackathon.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ .context.Chart.Name }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
{{- end -}}

{{/*
Labels of a component's pods: the chart's own, then the extra ones from the values, which
validateValues.podLabels keeps from replacing any of the chart's. Takes a dict: context,
component and podLabels.
*/}}
{{- define "todo-list-hackathon.podLabels" -}}
{{ include "todo-list-hackathon.labels" . }}
{{- with .podLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Selector labels of a component. Selectors are immutable, so only labels that never change go
here; the component keeps each Service from selecting the other component's pods.
*/}}
{{- define "todo-list-hackathon.selectorLabels" -}}
{{ include "todo-list-hackathon.releaseSelectorLabels" .context }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/*
Labels every pod of the release carries, whatever its component: what the NetworkPolicies
that apply to the whole release select on.
*/}}
{{- define "todo-list-hackathon.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-list-hackathon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
ServiceAccount the long-running pods use.
*/}}
{{- define "todo-list-hackathon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "todo-list-hackathon.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Image reference. Takes a dict: context, image (an image block of the values) and optionally
defaultTag. global.imageRegistry wins over image.registry so one value repoints every image.
*/}}
{{- define "todo-list-hackathon.image" -}}
{{- $registry := .context.Values.global.imageRegistry | default .image.registry -}}
{{- $tag := .image.tag | default .defaultTag -}}
{{- $reference := .image.repository -}}
{{- if $registry -}}
{{- $reference = printf "%s/%s" (trimSuffix "/" $registry) $reference -}}
{{- end -}}
{{- if $tag -}}
{{- $reference = printf "%s:%s" $reference $tag -}}
{{- end -}}
{{- if .image.digest -}}
{{- $reference = printf "%s@%s" $reference .image.digest -}}
{{- end -}}
{{- $reference -}}
{{- end -}}

{{/*
The pod spec's imagePullSecrets entries, from global.imagePullSecrets: Secret names or
`name:` references (both forms bitnami's and prometheus-community's charts accept), each once.
Takes the root context; prints nothing when there are none.
*/}}
{{- define "todo-list-hackathon.imagePullSecrets" -}}
{{- $names := list -}}
{{- range .Values.global.imagePullSecrets -}}
{{- if kindIs "map" . -}}
{{- $names = append $names .name -}}
{{- else -}}
{{- $names = append $names . -}}
{{- end -}}
{{- end -}}
{{- range $names | uniq }}
- name: {{ . }}
{{- end }}
{{- end -}}

{{/*
Volume name of a writable directory: /var/cache/nginx becomes var-cache-nginx.
*/}}
{{- define "todo-list-hackathon.writableDirVolumeName" -}}
{{- regexReplaceAll "[^a-z0-9]+" (lower .) "-" | trimAll "-" -}}
{{- end -}}

{{/*
emptyDir volumes for a list of writable directories: what a read-only root filesystem leaves
the process to write to. The size limit keeps a runaway temp file from filling the node's disk.
*/}}
{{- define "todo-list-hackathon.writableDirVolumes" -}}
{{- range . }}
- name: {{ include "todo-list-hackathon.writableDirVolumeName" . }}
  emptyDir:
    sizeLimit: 64Mi
{{- end }}
{{- end -}}

{{/*
Mounts of the volumes above.
*/}}
{{- define "todo-list-hackathon.writableDirMounts" -}}
{{- range . }}
- name: {{ include "todo-list-hackathon.writableDirVolumeName" . }}
  mountPath: {{ . }}
{{- end }}
{{- end -}}
