{{/* The name of every object of the release. */}}
{{- define "app.fullname" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "app.labels" -}}
{{ include "app.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | trunc 63 | trimSuffix "-" }}
backstage.io/kubernetes-id: {{ include "app.fullname" . }}
{{- end -}}

{{/* The pod template shared by the Deployment and the Job. */}}
{{- define "app.podSpec" -}}
serviceAccountName: {{ include "app.fullname" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
containers:
  - name: {{ include "app.fullname" . }}
    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    {{- with .Values.args }}
    args:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- if gt (int .Values.port) 0 }}
    ports:
      - name: http
        containerPort: {{ .Values.port }}
    {{- end }}
    {{- if or .Values.config .Values.existingSecret }}
    envFrom:
      {{- if .Values.config }}
      - configMapRef:
          name: {{ include "app.fullname" . }}-config
      {{- end }}
      {{- if .Values.existingSecret }}
      - secretRef:
          name: {{ .Values.existingSecret }}
      {{- end }}
    {{- end }}
    {{- if and (eq .Values.workload "deployment") (gt (int .Values.port) 0) }}
    readinessProbe:
      httpGet:
        path: {{ .Values.healthPath }}
        port: http
      periodSeconds: 5
    livenessProbe:
      httpGet:
        path: {{ .Values.healthPath }}
        port: http
      initialDelaySeconds: 10
      periodSeconds: 10
    {{- end }}
    resources:
      {{- toYaml .Values.resources | nindent 6 }}
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  - name: tmp
    emptyDir: {}
{{- end -}}

{{/* A job runs as a Helm hook; the objects it needs are hooks too, created just before it. */}}
{{- define "app.hookAnnotations" -}}
{{- if eq .Values.workload "job" }}
helm.sh/hook: post-install,pre-upgrade
helm.sh/hook-weight: "-1"
helm.sh/hook-delete-policy: before-hook-creation
{{- end }}
{{- end -}}
