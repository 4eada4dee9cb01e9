{{/*
A `helm test` pod that GETs each URL (retrying briefly: endpoints may still be settling after a
rollout) and exits non-zero with a sentence naming what failed. Takes a dict: context, check (the
name suffix), weight (helm runs test pods in weight order and stops at the first failure, so
each check may assume the earlier ones passed), what (the sentence) and urls.
*/}}
{{- define "todo-list-hackathon.testPod" -}}
{{- $context := .context -}}
{{- $component := dict "context" $context "component" "test" -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "todo-list-hackathon.componentFullname" (dict "context" $context "component" (printf "test-%s" .check)) }}
  labels:
    {{- include "todo-list-hackathon.podLabels" (merge (dict "podLabels" $context.Values.tests.podLabels) $component) | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-weight: {{ .weight | quote }}
    # Test pods stay, passed or failed, until the next `helm test`: `helm test --logs` and
    # `kubectl logs` can read them.
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    runAsNonRoot: true
    # nobody: the check needs no identity and no writable file.
    runAsUser: 65534
    runAsGroup: 65534
    seccompProfile:
      type: RuntimeDefault
  {{- with include "todo-list-hackathon.imagePullSecrets" $context | trim }}
  imagePullSecrets:
    {{- . | nindent 4 }}
  {{- end }}
  containers:
    - name: check
      image: {{ include "todo-list-hackathon.image" (dict "context" $context "image" $context.Values.tests.image) }}
      imagePullPolicy: {{ $context.Values.tests.image.pullPolicy }}
      env:
        # What the check GETs, in order; kept out of the script so it can be read as data.
        - name: URLS
          value: {{ join " " .urls | quote }}
      command:
        - sh
        - -c
        - |
          for url in $URLS; do
            attempt=1
            until wget -q -O /dev/null -T 5 "$url"; do
              if [ "$attempt" -ge 5 ]; then
                echo "FAIL: GET $url did not answer 2xx: {{ .what }}"
                exit 1
              fi
              attempt=$((attempt + 1))
              sleep 2
            done
            echo "ok: GET $url"
          done
          echo "PASS: {{ .what }}"
      resources:
        {{- toYaml $context.Values.tests.resources | nindent 8 }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        runAsGroup: 65534
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop:
            - ALL
{{- end -}}
