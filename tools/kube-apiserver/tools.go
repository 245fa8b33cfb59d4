//go:build tools

// Package tools pins the two programs the API-server test harness builds from this module:
// the real kube-apiserver and the etcd server that Kubernetes itself pins (so both share one
// dependency graph and one build cache, and etcd is exactly the version Kubernetes is tested with).
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
