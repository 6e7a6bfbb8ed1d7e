{{/* Chart name, shortened to 63 characters. */}}
{{- define "liveupdate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "liveupdate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "liveupdate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "liveupdate.labels" -}}
helm.sh/chart: {{ include "liveupdate.chart" . }}
app.kubernetes.io/name: {{ include "liveupdate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: liveupdate
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: call with (dict "ctx" $ "component" "operator"). */}}
{{- define "liveupdate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "liveupdate.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "liveupdate.operator.fullname" -}}
{{- printf "%s-operator" (include "liveupdate.fullname" .) }}
{{- end }}

{{- define "liveupdate.agent.fullname" -}}
{{- printf "%s-agent" (include "liveupdate.fullname" .) }}
{{- end }}

{{- define "liveupdate.operator.serviceAccountName" -}}
{{- default (include "liveupdate.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- end }}

{{- define "liveupdate.agent.serviceAccountName" -}}
{{- default (include "liveupdate.agent.fullname" .) .Values.agent.serviceAccount.name }}
{{- end }}

{{/* The user name the API server gives the agent's service-account tokens. */}}
{{- define "liveupdate.operator.username" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "liveupdate.operator.serviceAccountName" .) }}
{{- end }}

{{- define "liveupdate.agent.username" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "liveupdate.agent.serviceAccountName" .) }}
{{- end }}

{{/* repository:tag, pinned with @digest when one is given (the node then runs exactly those bytes). */}}
{{- define "liveupdate.operator.image" -}}
{{- $image := printf "%s:%s" .Values.operator.image.repository (default .Chart.AppVersion .Values.operator.image.tag) }}
{{- with .Values.operator.image.digest }}{{ $image = printf "%s@%s" $image . }}{{ end }}
{{- $image }}
{{- end }}

{{- define "liveupdate.agent.image" -}}
{{- $image := printf "%s:%s" .Values.agent.image.repository (default .Chart.AppVersion .Values.agent.image.tag) }}
{{- with .Values.agent.image.digest }}{{ $image = printf "%s@%s" $image . }}{{ end }}
{{- $image }}
{{- end }}

{{/*
The agent's seccomp profile: the user's; else, for direct kexec (RuntimeDefault denies kexec_file_load), the chart's
Localhost profile (RuntimeDefault's allow-list plus kexec_file_load and reboot) when the chart installs it, Unconfined
when it does not; else RuntimeDefault.
*/}}
{{- define "liveupdate.agent.seccompProfile" -}}
{{- if .Values.agent.seccompProfile }}
{{- toYaml .Values.agent.seccompProfile }}
{{- else if and (eq .Values.agent.rebootStrategy "direct") .Values.agent.seccomp.install }}
type: Localhost
localhostProfile: {{ .Values.agent.seccomp.localhostProfile }}
{{- else if eq .Values.agent.rebootStrategy "direct" }}
type: Unconfined
{{- else }}
type: RuntimeDefault
{{- end }}
{{- end }}

{{/* "true" when the agent runs under the chart's own Localhost profile, which an init container installs first. */}}
{{- define "liveupdate.agent.installsSeccompProfile" -}}
{{- $p := include "liveupdate.agent.seccompProfile" . | fromYaml }}
{{- if and .Values.agent.seccomp.install (eq $p.type "Localhost") (eq $p.localhostProfile .Values.agent.seccomp.localhostProfile) }}true{{ end }}
{{- end }}

{{/* The agent sees the host's kernel directories (and, for privileged/mountOnly, its /dev) under this directory. */}}
{{- define "liveupdate.agent.hostRoot" -}}
/host
{{- end }}

{{/* Whether the agent mounts the host's /dev at <hostRoot>/dev: direct kexec without a device plugin. */}}
{{- define "liveupdate.agent.mountsHostDev" -}}
{{- if and (eq .Values.agent.rebootStrategy "direct") (ne .Values.agent.device.access "resource") }}true{{ end }}
{{- end }}

{{/*
The device path the agent opens (liveupdate.agent.device-path):
simulated - the simulator's device, /dev/liveupdate (the simulator accepts no other name);
resource  - where the device plugin puts the node in the container: the host path;
otherwise - the host path under the host's /dev mounted at <hostRoot>/dev (missing there = no LUO on this node).
*/}}
{{- define "liveupdate.agent.devicePath" -}}
{{- if eq .Values.agent.rebootStrategy "simulated" }}
{{- print "/dev/liveupdate" }}
{{- else if include "liveupdate.agent.mountsHostDev" . }}
{{- printf "%s%s" (include "liveupdate.agent.hostRoot" .) .Values.agent.device.path }}
{{- else }}
{{- .Values.agent.device.path }}
{{- end }}
{{- end }}

{{/* The socket the agent listens on (liveupdate.agent.socket.path). */}}
{{- define "liveupdate.agent.socketPath" -}}
{{- printf "%s/agent.sock" .Values.agent.socket.hostDir }}
{{- end }}

{{/* The simulator's machine directory, inside the state directory's mount. */}}
{{- define "liveupdate.agent.simulatorStateDir" -}}
{{- printf "%s/simulated-machine" .Values.agent.stateDir }}
{{- end }}

{{/* Name of the operator's leader-election Lease. */}}
{{- define "liveupdate.operator.leaseName" -}}
{{- default (printf "%s-leader" (include "liveupdate.operator.fullname" .)) .Values.operator.leaderElection.leaseName }}
{{- end }}

{{/* A list of numbers as the comma-separated text SmallRye Config reads for a List. */}}
{{- define "liveupdate.joinNumbers" -}}
{{- $out := list }}
{{- range . }}{{ $out = append $out (printf "%d" (int64 .)) }}{{ end }}
{{- join "," $out }}
{{- end }}

{{- define "liveupdate.devicePlugin.fullname" -}}
{{- printf "%s-device-plugin" (include "liveupdate.fullname" .) }}
{{- end }}

{{/* Whether the chart's device plugin is rendered: enabled, and the agent requests the resource (direct + resource). */}}
{{- define "liveupdate.devicePlugin.rendered" -}}
{{- if and .Values.devicePlugin.enabled (eq .Values.agent.rebootStrategy "direct") (eq .Values.agent.device.access "resource") }}true{{ end }}
{{- end }}

{{/* <repository>:<tag>@<digest>, or <repository>:<tag> without a digest. */}}
{{- define "liveupdate.devicePlugin.image" -}}
{{- $image := printf "%s:%s" .Values.devicePlugin.image.repository .Values.devicePlugin.image.tag }}
{{- with .Values.devicePlugin.image.digest }}
{{- $image = printf "%s@%s" $image . }}
{{- end }}
{{- $image }}
{{- end }}
