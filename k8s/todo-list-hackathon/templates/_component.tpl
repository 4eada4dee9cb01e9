{{/*
The objects the backend and the frontend share, one definition per kind, so both workloads come
from one template and cannot drift apart. Each takes a dict: context (the root context) and
component ("backend" or "frontend"). What differs between the two comes from .Values.<component>
and from two helpers each component defines in its folder:
  todo-list-hackathon.<component>.config     ConfigMap data (KEY: "value" lines)
  todo-list-hackathon.<component>.secretEnv  env entries read from Secrets (may be empty)
*/}}

{{- define "todo-list-hackathon.deployment" -}}
{{- $context := .context -}}
{{- $values := index $context.Values .component -}}
{{- $name := include "todo-list-hackathon.componentFullname" . -}}
{{- $secretEnv := include (printf "todo-list-hackathon.%s.secretEnv" .component) $context | trim -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "todo-list-hackathon.labels" . | nindent 4 }}
spec:
  {{- if not $values.autoscaling.enabled }}
  replicas: {{ $values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  # A rollout that makes no progress for 2 minutes fails, well inside helm's --wait timeout.
  progressDeadlineSeconds: 120
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # Start one new pod at a time and remove an old one only once a new one is ready, so
      # serving capacity never drops during a rollout.
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "todo-list-hackathon.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "todo-list-hackathon.podLabels" (dict "context" $context "component" .component "podLabels" $values.podLabels) | nindent 8 }}
      annotations:
        # Environment variables are read only at start: a changed ConfigMap or secret input
        # changes these sums and so rolls the pods.
        checksum/config: {{ include (printf "todo-list-hackathon.%s.config" .component) $context | sha256sum }}
        {{- if $secretEnv }}
        checksum/secret: {{ include "todo-list-hackathon.secretInputs" $context | sha256sum }}
        {{- end }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "todo-list-hackathon.serviceAccountName" $context }}
      automountServiceAccountToken: false
      # Service links put variables for every Service of the namespace into the environment;
      # nothing reads them.
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $values.podSecurityContext | nindent 8 }}
      {{- with include "todo-list-hackathon.imagePullSecrets" $context | trim }}
      imagePullSecrets:
        {{- . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "todo-list-hackathon.image" (dict "context" $context "image" $values.image "defaultTag" $context.Chart.AppVersion) }}
          imagePullPolicy: {{ $values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $values.containerPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ $name }}
          {{- if or $secretEnv $values.extraEnv }}
          env:
            {{- with $secretEnv }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- end }}
          startupProbe:
            {{- include "todo-list-hackathon.httpProbe" $values.probes.startup | nindent 12 }}
          livenessProbe:
            {{- include "todo-list-hackathon.httpProbe" $values.probes.liveness | nindent 12 }}
          readinessProbe:
            {{- include "todo-list-hackathon.httpProbe" $values.probes.readiness | nindent 12 }}
          lifecycle:
            preStop:
              # Keep serving while the endpoint removal reaches every proxy; the stop signal
              # comes only after this pause.
              sleep:
                seconds: {{ $values.shutdown.preStopSeconds }}
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $values.securityContext | nindent 12 }}
          {{- with $values.writableDirs }}
          volumeMounts:
            {{- include "todo-list-hackathon.writableDirMounts" . | trim | nindent 12 }}
          {{- end }}
      {{- with $values.writableDirs }}
      volumes:
        {{- include "todo-list-hackathon.writableDirVolumes" . | trim | nindent 8 }}
      {{- end }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.topologySpreadConstraints }}
      {{- $ownPods := dict "labelSelector" (dict "matchLabels" (include "todo-list-hackathon.selectorLabels" $ | fromYaml)) }}
      {{- $constraints := list }}
      {{- range . }}
      {{- $constraints = append $constraints (merge (dict) . $ownPods) }}
      {{- end }}
      topologySpreadConstraints:
        {{- toYaml $constraints | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
An HTTP probe on the container port named http. Takes one probe block of the values.
*/}}
{{- define "todo-list-hackathon.httpProbe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}

{{- define "todo-list-hackathon.service" -}}
{{- $values := index .context.Values .component -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "todo-list-hackathon.componentFullname" . }}
  labels:
    {{- include "todo-list-hackathon.labels" . | nindent 4 }}
spec:
  type: {{ $values.service.type }}
  selector:
    {{- include "todo-list-hackathon.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $values.service.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "todo-list-hackathon.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "todo-list-hackathon.componentFullname" . }}
  labels:
    {{- include "todo-list-hackathon.labels" . | nindent 4 }}
data:
  {{- include (printf "todo-list-hackathon.%s.config" .component) .context | nindent 2 }}
{{- end -}}

{{- define "todo-list-hackathon.horizontalPodAutoscaler" -}}
{{- $values := index .context.Values .component -}}
{{- if $values.autoscaling.enabled -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "todo-list-hackathon.componentFullname" . }}
  labels:
    {{- include "todo-list-hackathon.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "todo-list-hackathon.componentFullname" . }}
  minReplicas: {{ $values.autoscaling.minReplicas }}
  maxReplicas: {{ $values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $values.autoscaling.targetCPUUtilizationPercentage }}
{{- end -}}
{{- end -}}

{{- define "todo-list-hackathon.podDisruptionBudget" -}}
{{- $values := index .context.Values .component -}}
{{- if $values.podDisruptionBudget.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "todo-list-hackathon.componentFullname" . }}
  labels:
    {{- include "todo-list-hackathon.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $values.podDisruptionBudget.maxUnavailable }}
  # A crash-looping pod protects nothing: let drains evict it rather than block on it.
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "todo-list-hackathon.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}
