//go:build tools

// Package tools records the etcd main package (go.etcd.io/etcd/server/v3 is
// itself `package main`) built by hack/install-controlplane.sh, so that
// `go mod tidy` keeps its dependencies. It is kept apart from
// tools/controlplane so etcd builds with its own pinned dependencies.
package tools

import _ "go.etcd.io/etcd/server/v3"
