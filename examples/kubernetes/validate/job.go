package main

import (
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// job checks what the API server would refuse in a Job, and what an Indexed
// Job needs to be one.
func (m *manifests) job(where string, job *batchv1.Job) {
	m.meta(where, job.Name, job.Labels)
	spec := job.Spec
	indexed := spec.CompletionMode != nil && *spec.CompletionMode == batchv1.IndexedCompletion
	switch {
	case spec.CompletionMode != nil && !indexed && *spec.CompletionMode != batchv1.NonIndexedCompletion:
		m.errorf(where, "spec.completionMode: %q is neither Indexed nor NonIndexed", *spec.CompletionMode)
	case indexed && spec.Completions == nil:
		m.errorf(where, "spec.completions: an Indexed Job needs its number of completions")
	case !indexed && (spec.BackoffLimitPerIndex != nil || spec.MaxFailedIndexes != nil):
		m.errorf(where, "spec.backoffLimitPerIndex and spec.maxFailedIndexes are for an Indexed Job only")
	}
	if spec.MaxFailedIndexes != nil && spec.BackoffLimitPerIndex == nil {
		m.errorf(where, "spec.maxFailedIndexes needs spec.backoffLimitPerIndex")
	}
	if spec.Parallelism != nil && spec.Completions != nil && *spec.Parallelism > *spec.Completions {
		m.errorf(where, "spec.parallelism (%d) is more than spec.completions (%d)", *spec.Parallelism, *spec.Completions)
	}
	pod := spec.Template.Spec
	if r := pod.RestartPolicy; r != corev1.RestartPolicyNever && r != corev1.RestartPolicyOnFailure {
		m.errorf(where, "spec.template.spec.restartPolicy: a Job's pods restart Never or OnFailure, not %q", r)
	}
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		if volumes[v.Name] {
			m.errorf(where, "spec.template.spec.volumes: %q is declared twice", v.Name)
		}
		volumes[v.Name] = true
		if v.PersistentVolumeClaim != nil {
			m.claimed = append(m.claimed, claimUse{where, v.PersistentVolumeClaim.ClaimName})
		}
	}
	if len(pod.Containers) == 0 {
		m.errorf(where, "spec.template.spec.containers: a pod needs a container")
	}
	usesIndex := false
	for _, c := range pod.Containers {
		at := where + " container " + c.Name
		for _, msg := range validation.IsDNS1123Label(c.Name) {
			m.errorf(at, "name %q: %s", c.Name, msg)
		}
		if c.Image == "" {
			m.errorf(at, "image is required")
		}
		for _, mount := range c.VolumeMounts {
			if !volumes[mount.Name] {
				m.errorf(at, "volumeMounts: %q is not a volume of the pod", mount.Name)
			}
			if !strings.HasPrefix(mount.MountPath, "/") {
				m.errorf(at, "volumeMounts: %q is not an absolute path", mount.MountPath)
			}
		}
		for _, e := range c.Env {
			for _, msg := range validation.IsEnvVarName(e.Name) {
				m.errorf(at, "env %q: %s", e.Name, msg)
			}
		}
		if strings.Contains(strings.Join(append(append([]string(nil), c.Command...), c.Args...), " "), "JOB_COMPLETION_INDEX") {
			usesIndex = true
		}
	}
	if indexed && !usesIndex {
		m.errorf(where, "an Indexed Job's container should read its shard from JOB_COMPLETION_INDEX")
	}
}

// meta checks a name and labels as the API server does.
func (m *manifests) meta(where, name string, labels map[string]string) {
	if name == "" {
		m.errorf(where, "metadata.name is required")
	}
	for _, msg := range validation.IsDNS1123Subdomain(name) {
		m.errorf(where, "metadata.name %q: %s", name, msg)
	}
	for k, v := range labels {
		for _, msg := range validation.IsQualifiedName(k) {
			m.errorf(where, "label %q: %s", k, msg)
		}
		for _, msg := range validation.IsValidLabelValue(v) {
			m.errorf(where, "label %q value %q: %s", k, v, msg)
		}
	}
}
